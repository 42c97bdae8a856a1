import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdf, makePng } from '../support/file-fixtures.js';
import {
  hasChromium,
  launchBrowser,
  seriousViolations,
  startServer,
  type RunningServer,
} from './browser-support.js';

let server: RunningServer;
let browser: Browser;
let page: Page;

/**
 * The online inbox in a real browser: a portal delivers a dossier with two files, the officer
 * finds it in the inbox, checks it, accepts it with the keyboard, and its page shows the channel
 * "trực tuyến" and the delivered files as its components' scans.
 */
describe.skipIf(!hasChromium)('the online inbox in a real browser', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    const token = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/accounts/token-cli.ts', 'canbo', 'cong-dvc', '--scope', 'portal'],
      {
        env: { ...process.env, DATABASE_URL: `file:${path.join(server.dataDir, 'e2e.db')}` },
        encoding: 'utf8',
      },
    ).trim();
    const procedure = (await (
      await fetch(`${server.baseUrl}/api/v1/procedures/2.000200`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { procedure?: { documents: { id: number }[] } };
    expect(procedure.procedure).toBeUndefined(); // a portal token reads nothing
    browser = await launchBrowser();
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.fill('#username', 'canbo');
    await page.fill('#password', 'MotCua@2026');
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
    const documents = await page.evaluate(async () => {
      const r = await (await fetch('/api/v1/procedures/2.000200')).json();
      return (r.procedure.documents as { id: number }[]).map((d) => d.id);
    });
    const delivered = await fetch(`${server.baseUrl}/api/v1/online-dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        portal_code: 'G22.99-E2E-0001',
        procedure_code: '2.000200',
        submitted_at: new Date().toISOString(),
        return_channel: 'counter',
        applicant: {
          name: 'Nguyễn Văn An',
          personal_id: '035090001234',
          birth_date: '1990-05-01',
          sex: 'male',
          phone: '0912345678',
          address: 'Thôn 3, xã Hòa Hậu',
        },
        components: [
          {
            document_id: documents[0],
            files: [
              {
                name: 'to-khai.pdf',
                content_type: 'application/pdf',
                data_base64: chromiumPdf().toString('base64'),
              },
            ],
          },
          {
            document_id: documents[1],
            files: [
              {
                name: 'anh.png',
                content_type: 'image/png',
                data_base64: makePng(320, 200).toString('base64'),
              },
            ],
          },
        ],
      }),
    });
    expect(delivered.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the delivery in the inbox and opens it', async () => {
    await page.click('nav a[href="/truc-tuyen"]');
    await page.waitForURL('**/truc-tuyen');
    expect(await page.textContent('[data-online-inbox]')).toContain('Nguyễn Văn An');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('text=G22.99-E2E-0001');
    await page.waitForSelector('[data-online-entry]');
    const files = await page.textContent('[data-online-files]');
    expect(files).toContain('to-khai.pdf');
    expect(files).toContain('anh.png');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('accepts it from the keyboard; the dossier shows "trực tuyến" and its files', async () => {
    await page.focus('form[action$="/tiep-nhan"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ho-so\/000\.00\.13\.H40-\d{6}-\d{4}$/);
    expect(await page.textContent('[data-channels]')).toContain('Trực tuyến (Cổng dịch vụ công)');
    const scans = await page.textContent('#so-hoa');
    expect(scans).toContain('Đã số hóa');
    expect(scans).toContain('3 trang');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
