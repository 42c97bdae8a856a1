/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumJpeg, chromiumPdf, makePdf } from '../support/file-fixtures.js';
import {
  describeInBrowser,
  launchBrowser,
  seriousViolations,
  settled,
  startServer,
  type RunningServer,
} from './browser-support.js';

const PASSWORD = 'MotCua@2026';
const PERSON = '035090001234';
const CARD_QR = `${PERSON}|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình|15062021`;
const DIR = path.join(process.cwd(), 'test-results', 'e2e-digitised-intake');
const PROCEDURE = 'LOCAL-DKX-DOI'; // Cấp đổi chứng nhận đăng ký xe: a form, the căn cước, the old paper
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: RunningServer;
let browser: Browser;
let page: Page;
let code = '';
let key = '';
let earlier = '';
const oldCertificate = makePdf({ pages: 2 });
const result = chromiumPdf();

/** The text of the focused element, or its id when it has none. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.id || el?.textContent?.trim() || el?.tagName || '';
  });

/**
 * The whole digitised counter in a real browser (issue 31): the applicant's căn cước was scanned
 * on an earlier dossier; the officer receives a new dossier through the intake form with the
 * keyboard (QR scan of the card), the căn cước is reused as it is received, the two other papers
 * are attached on the dossier page with F8 (a photographed JPEG, a scanner's PDF), the page shows
 * all three digitised, the result is attached and marked ready, and the citizen downloads it on a
 * phone with the code, the key and the last four digits of the ID number, byte-identical.
 */
describeInBrowser('a digitised intake in a real browser', { timeout: 150_000 }, () => {
  beforeAll(async () => {
    server = await startServer({ FILES_DIR: DIR });
    browser = await launchBrowser();
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 768 },
    });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.fill('#username', 'canbo');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
    // The earlier dossier (an electronic-identity account) and its scan of the căn cước, through
    // the API with the page's session.
    const first = await page.evaluate(
      async ({ person, jpeg }) => {
        const csrf = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
        const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf };
        const procedure = await (await fetch('/api/v1/procedures/LOCAL-DDDT-02')).json();
        const docs = procedure.procedure.documents as { id: number; name: string }[];
        const res = await fetch('/api/v1/dossiers', {
          method: 'POST',
          headers,
          body: JSON.stringify({
            procedure_code: 'LOCAL-DDDT-02',
            outcome: 'accept',
            documents: docs.map((d) => String(d.id)),
            applicant_name: 'Nguyễn Văn An',
            personal_id: person,
            birth_date: '1990-05-01',
            sex: 'male',
            phone: '0912345678',
            address: 'Thôn 3, xã Hòa Hậu',
            note: '',
          }),
        });
        const code = (await res.json()).dossier.code as string;
        const card = docs.find((d) => /căn cước/i.test(d.name))!;
        const form = new FormData();
        form.append('component', String(card.id));
        form.append('file', new File([new Uint8Array(jpeg)], 'can-cuoc.jpg'));
        const upload = await fetch(`/api/v1/dossiers/${code}/files`, {
          method: 'POST',
          headers: { 'x-csrf-token': csrf },
          body: form,
        });
        return { code, status: upload.status };
      },
      { person: PERSON, jpeg: [...chromiumJpeg()] },
    );
    expect(first.status).toBe(201);
    earlier = first.code;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  it('receives the dossier through the intake form with the keyboard and reuses the căn cước', async () => {
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=${PROCEDURE}`);
    expect(await page.isChecked('input[name=reuse_papers]')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // The first paper's checkbox has the focus: tick the three required papers, pass the
    // optional one (the old plate), on to the card scan box.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'documents');
    for (const k of ['Space', 'Tab', 'Space', 'Tab', 'Space', 'Tab', 'Tab'])
      await page.keyboard.press(k);
    expect(await focused()).toBe('id_card_qr');
    await page.keyboard.type(CARD_QR);
    await page.keyboard.press('Enter'); // the scanner's Enter: the form fills from the card
    await page.waitForFunction(() => document.activeElement?.id === 'phone');
    expect(await page.inputValue('#applicant_name')).toBe('Nguyễn Văn An');
    expect(await page.locator('input[name=documents]:checked').count()).toBe(3);
    await page.keyboard.type('0912345678');
    await page.focus('#vehicle_kind');
    await page.keyboard.press('M'); // "Mô tô, xe gắn máy"
    expect(await page.inputValue('#vehicle_kind')).toBe('motorbike');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('vehicle_id');
    await page.keyboard.type('29B1-123.45');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL('**/phieu/receipt', { timeout: 30_000 }).catch(async (e) => {
      console.log('no receipt:', page.url(), (await page.textContent('main'))?.slice(0, 1500));
      throw e;
    });
    expect(await page.textContent('.flash')).toContain('Đã dùng lại 1 giấy tờ đã số hóa');
    code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(page.url())![1]!);
    // The key as the citizen reads it on the appointment slip.
    key = ((await page.textContent('strong.key')) ?? '').trim();
    expect(key).toMatch(/^[A-Z0-9]{6,}$/);
  });

  it('attaches the two other papers with F8 and shows all three digitised', async () => {
    await page.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(code)}`);
    const component = (name: RegExp) => page.locator('#so-hoa .component', { hasText: name });
    const card = component(/Căn cước \/ tài khoản định danh/);
    expect(await card.textContent()).toContain('Dùng lại');
    expect(await card.locator('a', { hasText: earlier }).count()).toBe(1); // from that dossier
    const attach = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      await settled(page); // the page after the last attach, focus and all
      const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
      await page.locator('h1').click(); // the officer is on the page (headless Chrome needs it)
      await page.keyboard.press('F8');
      await (await chooser).setFiles([file]);
      expect(await focused()).toMatch(/^file-\d+$/);
      await page.keyboard.press('Tab'); // the camera input
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Đính kèm');
      // The page may already be at …#so-hoa: wait for the post's answer, not for the URL.
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/tep')),
        page.keyboard.press('Enter'),
      ]);
    };
    // F8 takes the first paper not yet digitised: the declaration (a photo), then the old
    // registration certificate (a scanner's PDF); the căn cước, reused, is skipped.
    await attach({ name: 'giay-khai.jpg', mimeType: 'image/jpeg', buffer: chromiumJpeg() });
    const form = component(/Giấy khai đăng ký xe/);
    await form.locator('text=Đã số hóa').waitFor();
    await attach({ name: 'cnđk-cu.pdf', mimeType: 'application/pdf', buffer: oldCertificate });
    const certificate = component(/Chứng nhận đăng ký xe cũ/);
    await certificate.locator('a.thumb.pdf', { hasText: '2 trang' }).waitFor();

    expect(await form.textContent()).toContain('1 trang');
    const thumb = form.locator('img');
    await thumb.scrollIntoViewIfNeeded();
    // A lazy thumbnail: fetched from the server only now that it is in view.
    await expect
      .poll(() => thumb.evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await certificate.locator('a.thumb.pdf').textContent()).toContain('2 trang');
    expect(await card.textContent()).toContain('Dùng lại');
    expect(await card.locator('img').count()).toBe(1);
    expect(await page.locator('#so-hoa .component.state-digitised').count()).toBe(2);
    expect(await page.locator('#so-hoa .component.state-reused').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // The files as the API lists them: the bytes kept are the bytes sent.
    const listed = await page.evaluate(async (ref) => {
      const r = await (await fetch(`/api/v1/dossiers/${encodeURIComponent(ref)}/files`)).json();
      return JSON.stringify(r);
    }, code);
    expect(listed).toContain(sha256(oldCertificate));
    expect(listed).toContain(sha256(chromiumJpeg()));
  });

  it('attaches the result, marks it ready, and the citizen downloads it on a phone', async () => {
    await settled(page); // the page the last attach led to (…#so-hoa), before the keys
    const resultBlock = page.locator('#so-hoa .component').last();
    await resultBlock.locator('input[data-file-picker]').setInputFiles({
      name: 'ket-qua.pdf',
      mimeType: 'application/pdf',
      buffer: result,
    });
    await resultBlock.locator('input[data-file-picker]').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Đính kèm');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/tep')),
      page.keyboard.press('Enter'),
    ]);
    await page.locator('#so-hoa .component:last-child', { hasText: '3 trang' }).waitFor();
    await settled(page); // else the end of the page's parse may take the focus away again

    const ready = page.locator('form[action$="/hanh-dong/mark_result_ready"]');
    await ready.locator('button[type=submit]').focus();
    expect(await focused()).toBe(
      ((await ready.locator('button[type=submit]').textContent()) ?? '').trim(),
    );
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/mark_result_ready'),
      ),
      page.keyboard.press('Enter'),
    ]);
    await ready.waitFor({ state: 'detached' }); // the new page, without that action
    const state = await page.evaluate(async (ref) => {
      const d = await (await fetch(`/api/v1/dossiers/${encodeURIComponent(ref)}`)).json();
      return d.dossier.status as string;
    }, code);
    expect(state).toBe('result_ready');

    const phone = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
    });
    const citizen = await phone.newPage();
    await citizen.goto(`${server.baseUrl}/tra-cuu?ma=${encodeURIComponent(code)}&khoa=${key}`);
    const last4 = citizen.locator('#so_cuoi');
    expect(await last4.isVisible()).toBe(true);
    expect(await seriousViolations(citizen)).toEqual([]);
    await last4.focus();
    await citizen.keyboard.type(PERSON.slice(-4));
    const download = citizen.waitForEvent('download');
    await citizen.locator('.citizen-result button').tap();
    const file = await (await download).path();
    expect(sha256(fs.readFileSync(file))).toBe(sha256(result));
    await phone.close();
  });
});
