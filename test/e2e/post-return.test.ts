import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  launchBrowser,
  seriousViolations,
  startServer,
  type RunningServer,
} from './browser-support.js';

let server: RunningServer;
let browser: Browser;
let code: string;
let lookupUrl: string;

// Screenshots for the docs with SCREENSHOTS=1; otherwise in a temporary folder, to look at.
const shots =
  process.env.SCREENSHOTS === '1'
    ? path.resolve('docs/screenshots/post')
    : path.join(os.tmpdir(), 'motcua-post-shots');
const TRACKING = 'EB123456785VN';

/** Today in Vietnam, as an officer types it. */
function todayTyped(): string {
  const local = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const [y, m, d] = local.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * A result returned by post in a real browser: the counter officer sends it with its tracking
 * code and records the post's delivery on the dossier page (1366×768, keyboard), and the citizen
 * sees the tracking code on their phone (360×740) without scrolling sideways.
 */
describeInBrowser('the return by post in a real browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    const token = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/accounts/token-cli.ts', 'canbo', 'e2e'],
      {
        env: { ...process.env, DATABASE_URL: `file:${path.join(server.dataDir, 'e2e.db')}` },
        encoding: 'utf8',
      },
    ).trim();
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await fetch(`${server.baseUrl}${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Record<string, any> };
    };
    const procedure = await api('GET', '/api/v1/procedures/2.000200');
    const received = await api('POST', '/api/v1/dossiers', {
      procedure_code: '2.000200',
      outcome: 'accept',
      documents: (procedure.body.procedure.documents as { id: number }[]).map((d) => String(d.id)),
      applicant_name: 'Nguyễn Văn An',
      personal_id: '035090001234',
      birth_date: '1990-05-01',
      sex: 'male',
      phone: '0912345678',
      address: 'Số 5 phố Trần Hưng Đạo, phường Nam Định, tỉnh Ninh Bình',
      return_channel: 'post',
      notify: 'sms',
    });
    expect(received.status).toBe(201);
    code = received.body.dossier.code;
    lookupUrl = received.body.lookup_url;
    const ready = await api('POST', `/api/v1/dossiers/${code}/actions/mark_result_ready`, {
      version: received.body.dossier.version,
    });
    expect(ready.status).toBe(200);
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends the result by post and records its delivery on the dossier page (1366×768)', async () => {
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 768 },
    });
    const page: Page = await context.newPage();
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.fill('#username', 'canbo');
    await page.fill('#password', 'MotCua@2026');
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    // The address the citizen gave is already in the form; a typo in the code is caught.
    const form = page.locator('#action-dispatch_by_post');
    expect(await form.locator('textarea[name="post_address"]').inputValue()).toContain(
      'Trần Hưng Đạo',
    );
    await form.locator('input[name="post_tracking_code"]').fill('EB123456784VN');
    await form.locator('input[name="post_tracking_code"]').press('Enter');
    await page.waitForSelector('.field-error');
    expect(await page.textContent('#action-dispatch_by_post')).toContain(
      'chữ số kiểm tra không khớp',
    );
    await page
      .locator('#action-dispatch_by_post input[name="post_tracking_code"]')
      .fill(TRACKING.toLowerCase());
    await page.locator('#action-dispatch_by_post input[name="post_tracking_code"]').press('Enter');
    await page.waitForSelector('[data-post-tracking]');
    expect(await page.textContent('[data-post-tracking]')).toContain(TRACKING);
    expect(await page.textContent('[data-post-tracking]')).toContain('Đang chuyển phát');
    expect(await page.locator('#action-return_result').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('[data-post-tracking]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'dossier-dispatched-1366.png') });

    await page.locator('#action-post_delivered input[name="delivered_on"]').fill(todayTyped());
    await page.locator('#action-post_delivered input[name="delivered_on"]').press('Enter');
    await page.waitForSelector('text=Bưu điện đã phát ngày');
    expect(await page.textContent('[data-post-tracking]')).toContain(
      `Bưu điện đã phát ngày ${todayTyped()}`,
    );
    expect(await page.textContent('main')).toContain('Đã trả kết quả');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'dossier-delivered-1366.png'), fullPage: true });
    await context.close();
  });

  it("shows the tracking code on the citizen's lookup on a phone (360×740)", async () => {
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(lookupUrl.replace(/^https?:\/\/[^/]+/, server.baseUrl));
    await page.waitForSelector('[data-post-tracking]');
    const line = await page.textContent('[data-post-tracking]');
    expect(line).toContain(TRACKING);
    expect(line).toContain('Bưu điện đã phát kết quả ngày');
    // The address never shows on the public page; nothing scrolls sideways.
    expect(await page.textContent('body')).not.toContain('Trần Hưng Đạo');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    const box = await page.locator('[data-post-tracking]').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'lookup-360.png'), fullPage: true });
    await context.close();
  });
});
