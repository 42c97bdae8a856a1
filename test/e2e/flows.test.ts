/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { decodeQrPng } from '../support/qr-decode.js';
import {
  describeInBrowser,
  launchBrowser,
  seriousViolations,
  settled,
  startServer,
  type RunningServer,
} from './browser-support.js';

const PASSWORD = 'MotCua@2026';

let server: RunningServer;
let browser: Browser;
let officer: BrowserContext;

async function login(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/dang-nhap`);
  if (!page.url().includes('/dang-nhap')) return page; // this context is signed in already
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  // The counter lands on its board; processors and approvers on "Hồ sơ của tôi".
  await page.waitForURL((u) => ['/ho-so/hom-nay', '/viec-cua-toi'].includes(u.pathname));
  return page;
}

/** What a 2D scanner reads from the demo applicant's chip ID card (the card's QR line). */
const CARD_QR =
  '035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình|15062021';

/**
 * Keys a Vietnamese officer presses for one character with Telex: the letter, one more for its
 * shape (â ê ô ă ơ ư đ) and one for its tone (á à ả ã ạ).
 */
function telexKeys(ch: string): number {
  const base = ch.normalize('NFD');
  const tone = /[\u0300\u0301\u0303\u0309\u0323]/.test(base) ? 1 : 0;
  const shape = /[\u0302\u0306\u031b]/.test(base) || /[đĐ]/.test(ch) ? 1 : 0;
  return 1 + tone + shape;
}

describeInBrowser('in a real browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // bypassCSP only so axe-core can be injected; the app's own pages never need it.
    officer = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 800 },
      bypassCSP: true,
      acceptDownloads: true,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let code = '';
  let lookupUrl = '';

  it('logs in, and refuses a wrong password in Vietnamese', async () => {
    const page = await officer.newPage();
    await page.goto(`${server.baseUrl}/dang-nhap`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#username', 'canbo');
    await page.fill('#password', 'sai-mat-khau');
    await page.press('#password', 'Enter');
    await expect
      .poll(() => page.textContent('.alert'))
      .toContain('tên đăng nhập hoặc mật khẩu không đúng.');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
    expect(await page.textContent('h1')).toContain('Bảng hôm nay');
    await page.close();
  });

  it('takes a căn cước dossier using only the keyboard, and measures it', async () => {
    const page = await login(officer, 'canbo');
    let keystrokes = 0;
    let dataKeystrokes = 0;
    let documentLoads = 0;
    let backgroundRequests = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documentLoads++;
      else if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr') backgroundRequests++;
    });
    const press = async (key: string) => {
      keystrokes++;
      await page.keyboard.press(key);
    };
    const type = async (text: string) => {
      keystrokes += [...text].length;
      dataKeystrokes += [...text].length;
      await page.keyboard.type(text);
    };

    await press('Alt+n'); // accesskey of "Tiếp nhận hồ sơ" on the board
    await page.waitForURL('**/ho-so/moi');
    await settled(page); // the filter's autofocus lands a frame after load
    await type('cccd');
    await press('Enter');
    await page.waitForURL('**/ho-so/moi?thu-tuc=2.000200');
    // The first paper's checkbox has the focus (autofocus lands a frame after load): tick, next,
    // tick, then on to the scan box.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'documents');
    for (const key of ['Space', 'Tab', 'Space', 'Tab']) await press(key);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('id_card_qr');
    // The 2D scanner types the card's QR line and Enter (the scan itself, not counted).
    await page.keyboard.type(CARD_QR);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('phone');
    expect(await page.inputValue('#applicant_name')).toBe('Nguyễn Văn An');
    expect(await page.inputValue('#birth_date')).toBe('01/05/1990');
    expect(await page.inputValue('#sex')).toBe('male');
    await type('0912345678');
    await press('Control+Enter');
    await page.waitForURL('**/phieu/receipt', { timeout: 30_000 }).catch(async (e) => {
      console.log(
        'the intake did not reach its receipt:',
        page.url(),
        (await page.textContent('main'))?.slice(0, 1500),
      );
      throw e;
    });
    code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(page.url())![1]!);
    expect(code).toMatch(/^000\.00\.13\.H40-\d{6}-0001$/);
    await settled(page); // the print button's autofocus lands a frame after load
    // The receipt's print button has the focus (Enter prints).
    expect(
      await page.evaluate(() =>
        (document.activeElement as HTMLElement | null)?.matches('[data-print]'),
      ),
    ).toBe(true);

    const figure = `Căn cước intake with an ID-card scan, keyboard only: ${keystrokes} keystrokes besides the scan (${dataKeystrokes} of them typed text: the procedure filter and the phone number; ${keystrokes - dataKeystrokes} for moving and deciding), ${documentLoads} page loads, ${backgroundRequests} background request(s)`;
    console.log(`\n${figure}\n`);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/keyboard-intake.txt', `${figure}\n`);
    expect(keystrokes).toBeLessThanOrEqual(25);
    expect(documentLoads).toBeLessThanOrEqual(4);
    expect(await seriousViolations(page)).toEqual([]);

    // The receipt prints on one A5 page.
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages).toHaveLength(1);
    // On an 80 mm thermal printer the slip is as long as its content, not a fixed 200 mm page.
    const receiptUrl = page.url();
    await page.goto(`${receiptUrl}?kho=80mm`);
    const thermal = (await page.pdf({ preferCSSPageSize: true, printBackground: false })).toString(
      'latin1',
    );
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(thermal)!;
    const [widthMm, heightMm] = [(Number(box[1]) * 25.4) / 72, (Number(box[2]) * 25.4) / 72];
    expect(Math.abs(widthMm - 80)).toBeLessThan(1.5);
    expect(heightMm).toBeGreaterThan(60);
    expect(heightMm).toBeLessThan(170);
    expect(thermal.match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
    await page.goto(receiptUrl);

    // The QR code, read from a screenshot like a phone camera would.
    const shot = await page.locator('.qr svg').screenshot();
    lookupUrl = decodeQrPng(PNG.sync.read(shot)) ?? '';
    expect(lookupUrl).toMatch(
      new RegExp(
        `^${server.baseUrl.replace(/\./g, '\\.')}/tra-cuu\\?ma=${code.replace(/\./g, '\\.')}&khoa=[2-9A-HJKMNP-Z]{8}$`,
      ),
    );
    await page.close();
  });

  it('refuses a malformed or mismatched scan with a message and fills nothing; one key per sex; F4 and F2', async () => {
    const page = await login(officer, 'canbo');
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
    await page.keyboard.press('F4');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('id_card_qr');
    // The card says born 2001, but the number's century digit says the 1900s.
    await page.keyboard.type(CARD_QR.replace('01051990', '01052001'));
    await page.keyboard.press('Enter');
    expect(await page.textContent('#scan-hint')).toContain('không khớp');
    expect(await page.inputValue('#applicant_name')).toBe('');
    expect(await page.inputValue('#personal_id')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('id_card_qr');
    expect(page.url()).toContain('/ho-so/moi');
    // Sex: "2" is Nữ, "1" is Nam, one key each.
    await page.focus('#sex');
    await page.keyboard.press('2');
    expect(await page.inputValue('#sex')).toBe('female');
    await page.keyboard.press('1');
    expect(await page.inputValue('#sex')).toBe('male');
    // F2 on the board focuses its search box; a scanned receipt URL opens the dossier.
    await page.goto(`${server.baseUrl}/ho-so/hom-nay`);
    await page.keyboard.press('F2');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('board-q');
    await page.keyboard.type(`${server.baseUrl}/tra-cuu?ma=${code}&khoa=ABCDEFGH`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/ho-so/${encodeURIComponent(code)}`);
    expect(await page.textContent('h1')).toContain(code);
    await page.close();
  });

  it('shows every field error in one round with the first bad field focused and the decision in view at 1366×768; dates typed dd/mm/yyyy on an en-US browser', async () => {
    const small = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1366, height: 768 },
      bypassCSP: true,
    });
    const page = await login(small, 'canbo');
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
    const accept = page.locator('[data-shortcut-submit]');
    const inView = async () => {
      const box = (await accept.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= 768;
    };
    expect(await inView()).toBe(true);
    await page.fill('#personal_id', '03509000123');
    await page.fill('#applicant_name', 'Nguyễn Văn An');
    await page.fill('#birth_date', '31/02/1990');
    await page.fill('#address', 'Thôn 3');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#personal_id-error');
    await settled(page); // the first bad field's autofocus lands a frame after load
    expect(new URL(page.url()).pathname).toBe('/ho-so/moi');
    for (const field of ['documents', 'personal_id', 'birth_date', 'sex'])
      expect(await page.locator(`#${field}-error`).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      await page.evaluate(() => document.querySelector('input[name="documents"]')?.id),
    );
    expect(await inView()).toBe(true);
    // The report's range on an English browser: typed dd/mm/yyyy, read as day/month/year.
    await small.close();
    const english = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1366, height: 768 },
    });
    const supervisor = await login(english, 'lanhdao');
    await supervisor.goto(`${server.baseUrl}/bao-cao`);
    await supervisor.selectOption('select[name="period"]', 'custom');
    await supervisor.fill('input[name="from"]', '01/02/2026');
    await supervisor.fill('input[name="to"]', '12/02/2026');
    await supervisor.click('form.filters button[type=submit]');
    await supervisor.waitForLoadState();
    expect(await supervisor.inputValue('input[name="from"]')).toBe('01/02/2026');
    expect(await supervisor.getAttribute('input[name="from"]', 'type')).toBe('text');
    expect(new URL(supervisor.url()).searchParams.get('from')).toBe('01/02/2026');
    expect(await supervisor.textContent('main')).toContain('12/02/2026');
    await english.close();
  });

  it('opens the citizen page from the QR link on a 320 px phone, readable and accessible', async () => {
    const phone = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    const page = await phone.newPage();
    await page.goto(lookupUrl);
    expect(await page.textContent('.big-status')).toBe('Đang giải quyết');
    expect(await page.textContent('body')).toContain(code);
    expect(await page.textContent('body')).not.toContain('035090001234');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${server.baseUrl}/tra-cuu`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await phone.close();
  });

  it('processes the dossier to its return, and the citizen rates it once', async () => {
    const page = await login(officer, 'canbo');
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    expect(await seriousViolations(page)).toEqual([]);
    // Handed to the office's first processing unit's queue (the unit and officer can be chosen).
    await page.click('#action-hand_over button[type=submit]');
    await page.waitForSelector('.flash');
    await page.fill('#request_supplement-supplement_what', 'Ảnh chân dung 4x6');
    await page.fill('#request_supplement-reason', 'Ảnh cũ không đạt chuẩn chụp.');
    await page.click('#action-request_supplement button[type=submit]');
    await page.waitForURL('**/phieu/supplement');
    expect(await page.textContent('.slip')).toContain('Ảnh chân dung 4x6');
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    await page.click('#action-receive_supplement button[type=submit]');
    await page.waitForSelector('.flash');
    await page.click('#action-mark_result_ready button[type=submit]');
    await page.waitForSelector('.flash');
    await page.click('#action-return_result button[type=submit]');
    await page.waitForSelector('.flash');
    expect(await page.textContent('.status')).toBe('Đã trả kết quả');
    const timeline = await page.locator('.timeline li strong').allTextContents();
    expect(timeline).toEqual([
      'Tiếp nhận hồ sơ',
      'Chuyển hồ sơ',
      'Yêu cầu bổ sung',
      'Nhận giấy tờ bổ sung',
      'Có kết quả',
      'Trả kết quả',
    ]);

    const citizen = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 360, height: 740 },
    });
    const phone = await citizen.newPage();
    await phone.goto(lookupUrl);
    await phone.check('input[value=very_satisfied]');
    await phone.click('.rating button[type=submit]');
    await expect.poll(() => phone.textContent('.flash')).toContain('Cảm ơn');
    await phone.goto(lookupUrl);
    expect(await phone.locator('.rating').count()).toBe(0);
    expect(await phone.textContent('body')).toContain('Rất hài lòng');
    await citizen.close();
    await page.close();
  });

  it('takes a dossier from intake to return through reception, processing and approval with three accounts, and prints the process-control slip', async () => {
    const counter = await login(officer, 'canbo');
    await counter.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
    for (const box of await counter.locator('input[name=documents]').all()) await box.check();
    await counter.focus('#id_card_qr');
    await counter.keyboard.type(CARD_QR);
    await counter.keyboard.press('Enter');
    await counter.fill('#phone', '0987654321');
    await counter.keyboard.press('Control+Enter');
    await counter.waitForURL('**/phieu/receipt');
    const ref = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(counter.url())![1]!);
    await counter.goto(`${server.baseUrl}/ho-so/${ref}`);
    expect(await counter.textContent('.holder-now')).toContain('Trần Thị Hoa');
    await counter.selectOption('#hand_over-to_unit', { label: 'Đội Cảnh sát QLHC về TTXH' });
    await counter.click('#action-hand_over button[type=submit]');
    await counter.waitForSelector('.flash');
    expect(await counter.textContent('.holder-now')).toContain('Đội Cảnh sát QLHC về TTXH');

    const processorContext = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 800 },
      bypassCSP: true,
    });
    const processor = await login(processorContext, 'xuly');
    await processor.goto(`${server.baseUrl}/viec-cua-toi?muc=queue`);
    expect(await seriousViolations(processor)).toEqual([]);
    await processor.click(`a:text-is("${ref}")`);
    await processor.click('#action-claim button[type=submit]');
    await processor.waitForSelector('.flash');
    expect(await processor.textContent('.holder-now')).toContain('Lê Thị Thu');
    await processor.selectOption('#hand_over-to_step', 'approval');
    await processor.selectOption('#hand_over-to_account', {
      label: 'Đỗ Văn Hùng · Lãnh đạo đơn vị (phê duyệt) · Đội Cảnh sát QLHC về TTXH',
    });
    await processor.click('#action-hand_over button[type=submit]');
    await processor.waitForSelector('.flash');
    expect(await seriousViolations(processor)).toEqual([]);

    const approverContext = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 800 },
      bypassCSP: true,
    });
    const approver = await login(approverContext, 'pheduyet');
    await approver.goto(`${server.baseUrl}/viec-cua-toi?muc=approvals`);
    await approver.click(`a:text-is("${ref}")`);
    await approver.click('#action-approve button[type=submit]');
    await approver.waitForSelector('.flash');

    await counter.goto(`${server.baseUrl}/viec-cua-toi?muc=counter`);
    expect(await counter.textContent('table.worklist')).toContain(ref);
    await counter.goto(`${server.baseUrl}/ho-so/${ref}`);
    await counter.click('#action-mark_result_ready button[type=submit]');
    await counter.waitForSelector('.flash');
    await counter.click('#action-return_result button[type=submit]');
    await counter.waitForSelector('.flash');
    expect(await counter.locator('table.steps tbody tr').count()).toBe(5);
    expect(await counter.locator('table.steps tbody tr td:nth-child(2)').allTextContents()).toEqual(
      ['Tiếp nhận', 'Xử lý', 'Phê duyệt', 'Chuyển kết quả về một cửa', 'Trả kết quả cho công dân'],
    );

    await counter.goto(`${server.baseUrl}/ho-so/${ref}/phieu/control`);
    const rows = counter.locator('tr.handover-row');
    expect(await rows.count()).toBe(6);
    expect(await rows.nth(0).textContent()).toContain('Nguyễn Văn An');
    expect(await rows.nth(1).textContent()).toContain('Đội Cảnh sát QLHC về TTXH');
    expect(await rows.nth(2).textContent()).toContain('Đỗ Văn Hùng');
    expect(await rows.nth(2).textContent()).toMatch(/Trước hạn|Đúng hạn/);
    const pdf = await counter.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/process-control-slip.pdf', pdf);
    await processorContext.close();
    await approverContext.close();
  });

  it('prints every official form on one page: 01 (A5), 02–06 (A4) and the tracking book 07 (A4 landscape)', async () => {
    const page = await login(officer, 'canbo');
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
    const csrf = await page.inputValue('input[name=_csrf]');
    // Four more dossiers through the API with this session, each taken to the form it prints.
    const codes = await page.evaluate(async (token) => {
      const call = async (path: string, body: object) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-csrf-token': token,
          },
          body: JSON.stringify(body),
        });
        return res.json() as Promise<{ dossier: { code: string; version: number } }>;
      };
      const docs = (
        (await (
          await fetch('/api/v1/procedures/2.000200', { headers: { accept: 'application/json' } })
        ).json()) as { procedure: { documents: { id: number }[] } }
      ).procedure.documents.map((d) => String(d.id));
      const intake = {
        procedure_code: '2.000200',
        outcome: 'accept',
        documents: docs,
        applicant_name: 'Phạm Thị Dung',
        personal_id: '035190004322',
        birth_date: '1990-08-12',
        sex: 'female',
        phone: '0987654322',
        address: 'Thôn 5, xã Nhân Thịnh, tỉnh Ninh Bình',
        email: 'dung@example.vn',
      };
      const out: Record<string, string> = {};
      for (const [kind, action, body] of [
        [
          'supplement',
          'request_supplement',
          { supplement_what: 'Ảnh chân dung', reason: 'Ảnh không đạt chuẩn chụp.' },
        ],
        ['refusal', 'refuse', { reason: 'Người đề nghị không thuộc đối tượng được cấp.' }],
        [
          'apology',
          'reschedule',
          { new_due_date: '31/12/2099', reason: 'Chờ kết quả xác minh nhân thân.' },
        ],
        ['stop', 'stop', { reason: 'Công dân đề nghị dừng giải quyết hồ sơ.' }],
      ] as const) {
        const made = (await call('/api/v1/dossiers', intake)).dossier;
        await call(`/api/v1/dossiers/${made.code}/actions/${action}`, {
          version: String(made.version),
          ...body,
        });
        out[kind] = made.code;
      }
      return out;
    }, csrf);
    const pagesOf = async (url: string) => {
      await page.goto(`${server.baseUrl}${url}`);
      expect(await page.locator('.slip-title').count(), url).toBeGreaterThan(0);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
      return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    };
    // (The first dossier was returned: its receipt has done its work; another one's prints.)
    expect(await pagesOf(`/ho-so/${codes.apology}/phieu/receipt`)).toBe(1);
    expect(await pagesOf(`/ho-so/${codes.apology}/phieu/receipt?lien=2`)).toBe(2);
    for (const kind of ['supplement', 'refusal', 'apology', 'stop'] as const)
      expect(await pagesOf(`/ho-so/${codes[kind]}/phieu/${kind}`), kind).toBe(1);
    expect(await pagesOf(`/ho-so/${codes.refusal}/phieu/control`)).toBe(1);
    const lead = await login(await browser.newContext({ locale: 'vi-VN' }), 'lanhdao');
    await lead.goto(`${server.baseUrl}/bao-cao/so-theo-doi?period=month&office=all`);
    const book = await lead.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(book.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(book.toString('latin1'))!;
    expect(Number(box[1]), 'tracking book landscape').toBeGreaterThan(Number(box[2]));
    await lead.goto(`${server.baseUrl}/bao-cao?period=month`);
    const report = (await lead.pdf({ preferCSSPageSize: true, printBackground: false })).toString(
      'latin1',
    );
    const reportBox = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(report)!;
    expect(Number(reportBox[1])).toBeGreaterThan(Number(reportBox[2]));
    await lead.context().close();
  });

  it('takes plates however they are typed and finds the dossier by plate; announces a moved appointment; records a return to an authorised person', async () => {
    const page = await login(officer, 'canbo');
    // Two transfers of ownership (a plate is required), the plates typed as people write them.
    const plates: [string, string, string][] = [
      ['motorbike', '90B1 - 12345', '90-B1 123.45'],
      ['car', '30e12345', '30E-123.45'],
    ];
    const codes: string[] = [];
    for (const [kind, typed, shown] of plates) {
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=LOCAL-DKX-SANG`);
      for (const box of await page.locator('input[name="documents"]').all()) await box.check();
      await page.focus('#id_card_qr');
      await page.keyboard.type(CARD_QR);
      await page.keyboard.press('Enter');
      await page.selectOption('#vehicle_kind', kind);
      await page.fill('#vehicle_id', typed);
      await page.keyboard.press('Control+Enter');
      await page.waitForURL('**/phieu/receipt', { timeout: 30_000 }).catch(async (e) => {
        console.log(
          'the vehicle intake did not reach its receipt:',
          page.url(),
          (await page.textContent('main'))?.slice(0, 1500),
        );
        throw e;
      });
      expect(await page.textContent('.slip')).toContain(shown);
      codes.push(decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(page.url())![1]!));
    }
    // Searched from the board, typed yet another way.
    await page.goto(`${server.baseUrl}/ho-so/hom-nay`);
    await page.keyboard.press('F2');
    await page.keyboard.type('90-b1 123.45');
    await page.keyboard.press('Enter');
    // The search is posted and comes back as /ho-so?tim=… (the board was already loaded: waiting
    // for its load state would read the board itself).
    await page.waitForURL(/\/ho-so\?tim=/);
    const found = await page.textContent('main');
    expect(found).toContain(codes[0]);
    expect(found).not.toContain(codes[1]);

    // A dossier whose supplement was asked for a week ago (written on the server's database as
    // the counter wrote it then): receiving the papers today moves the appointment.
    const { loadConfig } = await import('../../src/config.js');
    const { createAppContext } = await import('../../src/context.js');
    const { FixedClock } = await import('../../src/lib/clock.js');
    const { receiveDossier } = await import('../../src/dossiers/intake/intake.service.js');
    const { performDossierAction } =
      await import('../../src/dossiers/workflow/workflow.service.js');
    const { accountNamed, validIntake } = await import('../support/factories.js');
    const past = new FixedClock(new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString());
    const ctx = createAppContext(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: `file:${path.join(server.dataDir, 'e2e.db')}`,
        SESSION_SECRET: 's'.repeat(40),
      }),
      { clock: past },
    );
    const canbo = await accountNamed(ctx, 'canbo');
    const waiting = await receiveDossier(ctx, canbo, await validIntake(ctx));
    await performDossierAction(ctx, canbo, waiting.code!, 'start_processing', { version: '1' });
    await performDossierAction(ctx, canbo, waiting.code!, 'request_supplement', {
      version: '2',
      supplement_what: 'Ảnh chân dung 4x6',
      reason: 'Ảnh cũ không đạt chuẩn.',
    });
    await ctx.destroy();
    // While the papers are awaited the citizen sees what is awaited, not last week's date.
    const citizen = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 360, height: 740 },
    });
    const phone = await citizen.newPage();
    await phone.goto(
      `${server.baseUrl}/tra-cuu?ma=${encodeURIComponent(waiting.code!)}&khoa=${waiting.lookupKey}`,
    );
    expect(await phone.textContent('main')).toContain('Ảnh chân dung 4x6');
    await page.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(waiting.code!)}`);
    await page.click('#action-receive_supplement button[type=submit]');
    await page.waitForSelector('.moved-date');
    expect(await page.textContent('.moved-date')).toContain('Ngày hẹn đã thay đổi');
    await page.click('.moved-date button[type=submit]');
    await page.waitForURL((u) => u.pathname.endsWith('/phieu/receipt'));
    // The new receipt carries a new lookup key; the old slip's key no longer works.
    const newKey = (await page.textContent('.key'))!.replace(/\s+/g, '');
    expect(newKey).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    await page.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(waiting.code!)}`);
    expect(await page.locator('.moved-date').count()).toBe(0);

    // The result is taken by a person the applicant authorised.
    await page.click('#action-mark_result_ready button[type=submit]');
    await page.waitForSelector('.flash');
    await page.check('input[name="returned_by"][value="authorised"]');
    await page.fill('#return_result-proxy_name', 'Trần Thị Bình');
    await page.fill('#return_result-proxy_personal_id', '035190001234');
    await page.fill(
      '#return_result-proxy_paper',
      'Giấy ủy quyền số 12/UQ, UBND xã Hòa Hậu chứng thực 01/12/2026',
    );
    await page.click('#action-return_result button[type=submit]');
    await page.waitForSelector('.flash');
    expect(await page.textContent('.status')).toBe('Đã trả kết quả');
    expect(await page.textContent('main')).not.toContain('In lại giấy hẹn');
    await page.click('form[action$="/phieu/return"] button[type=submit]');
    await page.waitForURL((u) => u.pathname.endsWith('/phieu/return'));
    const slip = await page.textContent('.slip');
    expect(slip).toContain('Trần Thị Bình');
    expect(slip).toContain('Giấy ủy quyền số 12/UQ');
    expect(slip).toContain('NGƯỜI NHẬN KẾT QUẢ');
    await phone.goto(
      `${server.baseUrl}/tra-cuu?ma=${encodeURIComponent(waiting.code!)}&khoa=${newKey}`,
    );
    expect(await phone.textContent('.big-status')).toBe('Đã trả kết quả');
    await citizen.close();
    await page.close();
  });

  it('shows the dossier in the supervisor report and downloads CSV and XLSX', async () => {
    const supervisor = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
      bypassCSP: true,
      acceptDownloads: true,
    });
    const page = await login(supervisor, 'lanhdao');
    await page.goto(`${server.baseUrl}/bao-cao?period=today`);
    expect(await page.locator('table.report').first().textContent()).toContain('Căn cước');
    expect(await seriousViolations(page)).toEqual([]);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Sổ theo dõi hồ sơ (CSV)'),
    ]);
    const csvText = fs.readFileSync((await csv.path())!, 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    expect(csvText).toContain(code);
    expect(csvText).toContain('Nguyễn Văn An');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Sổ theo dõi hồ sơ (Excel)'),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(
      /^so-theo-doi_tat-ca-don-vi_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    let found = false;
    book.getWorksheet(1)!.eachRow((row) => {
      if (row.getCell(2).value === code) found = true;
    });
    expect(found).toBe(true);
    await supervisor.close();
  });

  it('lets an administrator add a holiday to the calendar', async () => {
    const adminContext = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
      bypassCSP: true,
    });
    const page = await login(adminContext, 'quantri');
    await page.goto(`${server.baseUrl}/quan-tri/lich?nam=2027`);
    expect(await seriousViolations(page)).toEqual([]);
    // 2027 has no official schedule yet: the page shows the projected holidays, marked provisional.
    expect(await page.textContent('main')).toContain('Lịch dự kiến');
    expect(await page.locator('td[title="Tết Dương lịch"]').count()).toBe(1);
    await page.fill('#day', '2027-11-24');
    await page.selectOption('#kind', 'holiday');
    await page.fill('#name', 'Ngày Văn hóa Việt Nam');
    await page.click('form.card button[type=submit]');
    await page.waitForSelector('.flash');
    expect(await page.locator('td[title="Ngày Văn hóa Việt Nam"]').count()).toBe(1);
    await adminContext.close();
  });

  it('lets an administrator import an old tracking book: check, see the bad row, fix, import', async () => {
    const adminContext = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
      bypassCSP: true,
    });
    const page = await login(adminContext, 'quantri');
    await page.goto(`${server.baseUrl}/quan-tri/nhap-so`);
    expect(await seriousViolations(page)).toEqual([]);
    const heading =
      'Mã hồ sơ,Mã thủ tục,Người nộp,Số định danh,Địa chỉ,Ngày nhận,Ngày có kết quả,Ngày trả';
    const good =
      ',2.000200,Quách Thị Lựu,035190004321,Thôn 7,05/01/2026 09:00,12/01/2026,13/01/2026';
    const bad = ',2.000200,Quách Văn Sơn,035090004322,Thôn 8,06/01/2026 09:00,05/01/2026,';
    await page.selectOption('#office_id', {
      label: 'Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình (000.00.13.H40)',
    });
    await page.setInputFiles('#file', {
      name: 'so-cu.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${heading}\n${good}\n${bad}\n`),
    });
    await page.click('form.card button[type=submit]');
    await page.waitForSelector('h1:has-text("Kết quả kiểm tra tệp")');
    expect(await page.locator('table.data td').allInnerTexts()).toEqual([
      '3',
      'Ngày có kết quả trước ngày nhận.',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    // Fixed file: checked clean, then imported with the button the check page offers.
    await page.goto(`${server.baseUrl}/quan-tri/nhap-so`);
    await page.selectOption('#office_id', {
      label: 'Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình (000.00.13.H40)',
    });
    await page.setInputFiles('#file', {
      name: 'so-cu.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${heading}\n${good}\n${bad.replace('05/01/2026', '09/01/2026')}\n`),
    });
    await page.click('form.card button[type=submit]');
    await page.click('button:has-text("Bước 2: nhập 2 hồ sơ")');
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').innerText()).toContain('Đã nhập 2 hồ sơ từ tệp so-cu.csv');
    await page.goto(`${server.baseUrl}/ho-so?q=quach thi luu`);
    expect(await page.locator('main').innerText()).toContain('000.00.13.H40-260105-');
    await adminContext.close();
  });

  it('takes a căn cước dossier without a card scan, typing every field, and measures it', async () => {
    const page = await login(officer, 'canbo');
    let keystrokes = 0; // key presses this test sends: one per key, one per typed character
    let telex = 0; // the same text typed with Telex on a Vietnamese keyboard (ễ = e, e, x)
    const press = async (key: string) => {
      keystrokes++;
      telex++;
      await page.keyboard.press(key);
    };
    const type = async (text: string) => {
      keystrokes += [...text].length;
      telex += [...text].reduce((n, ch) => n + telexKeys(ch), 0);
      await page.keyboard.type(text);
    };
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.goto(`${server.baseUrl}/ho-so/hom-nay`);
    await press('Alt+n');
    await page.waitForURL('**/ho-so/moi');
    await settled(page); // the filter's autofocus lands a frame after load
    await type('cccd');
    await press('Enter');
    await page.waitForURL('**/ho-so/moi?thu-tuc=2.000200');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'documents');
    for (const key of ['Space', 'Tab', 'Space', 'Tab']) await press(key);
    expect(await focused()).toBe('id_card_qr');
    // No card at hand: Tab past the scan box and type every field.
    const fields: [string, string][] = [
      ['personal_id', '001190012345'], // 1: a woman born in the 1900s
      ['applicant_name', 'Trần Thị Bích Ngọc'],
      ['birth_date', '12031990'],
      ['sex', '2'],
      ['phone', '0912345679'],
    ];
    for (const [id, text] of fields) {
      await press('Tab');
      expect(await focused()).toBe(id);
      await type(text);
    }
    await press('Tab'); // past the optional e-mail
    await press('Tab');
    expect(await focused()).toBe('address');
    await type('Số 5 đường Lê Lợi, phường Hoa Lư, tỉnh Ninh Bình');
    await press('Control+Enter');
    await page.waitForURL('**/phieu/receipt', { timeout: 30_000 }).catch(async (e) => {
      console.log('no receipt:', page.url(), (await page.textContent('main'))?.slice(0, 1500));
      throw e;
    });
    expect(await page.textContent('main')).toContain('Trần Thị Bích Ngọc');
    const figure = `Căn cước intake without a scan, keyboard only, every field typed: ${keystrokes} keystrokes (${telex} with Telex diacritics)`;
    console.log(`\n${figure}\n`);
    fs.mkdirSync('test-results', { recursive: true });
    fs.appendFileSync('test-results/keyboard-intake.txt', `${figure}\n`);
    // 4 keys to the procedure + 4 over the papers + 7 Tabs + the typed text + Ctrl+Enter.
    expect(keystrokes).toBe(115);
    expect(telex).toBe(135);
    await page.close();
  });

  it('keeps every other main page free of serious accessibility problems, with visible focus', async () => {
    // The checker itself catches a real problem (an input without a label), so a pass means something.
    const probe = await officer.newPage();
    await probe.setContent(
      '<!doctype html><html lang="vi"><head><title>x</title></head><body><main><input type="text"></main></body></html>',
    );
    expect((await seriousViolations(probe)).join()).toContain('label');
    await probe.close();
    const adminContext = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
      bypassCSP: true,
    });
    const page = await login(adminContext, 'quantri');
    for (const url of [
      '/ho-so/hom-nay',
      '/ho-so/moi',
      '/ho-so/moi?thu-tuc=LOCAL-DKX-MT',
      '/ho-so?q=nguyen',
      '/quan-tri',
      '/quan-tri/tai-khoan',
      '/quan-tri/don-vi',
      '/quan-tri/bo-phan-xu-ly',
      '/quan-tri/thu-tuc',
      '/quan-tri/nhat-ky',
      '/viec-cua-toi',
      '/bao-cao',
    ]) {
      await page.goto(`${server.baseUrl}${url}`);
      expect({ url, violations: await seriousViolations(page) }).toEqual({ url, violations: [] });
    }
    // Focus is visible: the focused control gets an outline.
    await page.goto(`${server.baseUrl}/ho-so/moi`);
    await settled(page); // the filter's autofocus lands a frame after load
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement!).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await adminContext.close();
  });
});
