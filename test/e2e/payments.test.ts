/// <reference lib="dom" />
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrPng } from '../support/qr-decode.js';
import { PAYMENT_ENV, signedCallback } from '../support/payments.js';
import { createTestContext } from '../support/test-app.js';
import { checkVietQrPayload } from '../support/vietqr-check.js';
import {
  hasChromium,
  launchBrowser,
  seriousViolations,
  startServer,
  type RunningServer,
} from './browser-support.js';

const PASSWORD = 'MotCua@2026';
const OFFICE = '000.00.13.H40';
const CARD_QR =
  '035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình|15062021';

let server: RunningServer;
let browser: Browser;

async function login(page: Page, username: string, next: string) {
  await page.goto(`${server.baseUrl}/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL(`**${next}`);
}

/** The PDF's page sizes in millimetres. */
function pdfPages(pdf: Buffer): [number, number][] {
  const text = pdf.toString('latin1');
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
  const pages = (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  return Array.from({ length: pages }, (_, i) => {
    const box = boxes[Math.min(i, boxes.length - 1)]!;
    return [(Number(box[1]) * 25.4) / 72, (Number(box[2]) * 25.4) / 72];
  });
}

describe.skipIf(!hasChromium)('fees in a real browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startServer({ NOTIFY_SENDER: 'off', ...PAYMENT_ENV });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fee-bearing intake → QR on the slip and the screen → bank callback → A5 receipt; return refused before payment', async () => {
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 800 },
      bypassCSP: true,
    });
    // The administrator sets the office's rule: no result before the fee is paid.
    const admin = await context.newPage();
    const ctx = createTestContext(path.join(server.dataDir, 'e2e.db'));
    const office = await ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', OFFICE)
      .executeTakeFirstOrThrow();
    await ctx.destroy();
    await login(admin, 'quantri', `/quan-tri/don-vi/${office.id}`);
    await admin.check('#payment_required_before_return');
    await admin.click('form.card.grid button[type=submit]');
    await admin.waitForSelector('.flash');
    await admin.close();
    await context.clearCookies();

    // The counter: a residence registration (20.000 ₫), received from the keyboard and the card scan.
    const page = await context.newPage();
    await login(page, 'canbo', '/ho-so/hom-nay');
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=1.004222`);
    for (const box of await page.locator('input[name="documents"]').all()) await box.check();
    await page.fill('#id_card_qr', CARD_QR);
    await page.press('#id_card_qr', 'Enter');
    await expect.poll(() => page.inputValue('#applicant_name')).toBe('Nguyễn Văn An');
    await page.fill('#phone', '0912345678');
    await page.click('button[value="accept"]');
    await page.waitForURL('**/phieu/receipt');
    const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(page.url())![1]!);

    // The receipt slip carries the fee's VietQR: decoded from the rendered page, every field checked.
    const slipQr = decodeQrPng(
      PNG.sync.read(await page.locator('[data-vietqr] .vietqr-code svg').screenshot()),
    );
    expect(checkVietQrPayload(slipQr!)).toEqual({
      initiation: '12',
      bankBin: '970415',
      account: '113000000013',
      service: 'QRIBFTTA',
      currency: '704',
      amount: '20000',
      country: 'VN',
      billNumber: code,
      purpose: `HS ${code.replace(/[.-]/g, '')}`,
    });
    const slipPages = pdfPages(await page.pdf({ preferCSSPageSize: true }));
    expect(slipPages).toHaveLength(1);

    // Processing, and the result back at the counter.
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    await page.click('#action-hand_over button[type=submit]');
    await page.waitForSelector('.flash');
    await page.click('#action-mark_result_ready button[type=submit]');
    await page.waitForSelector('.flash');
    // Return before payment: refused, with how to take the fee.
    await page.click('#action-return_result button[type=submit]');
    await expect
      .poll(() => page.textContent('.alert'))
      .toContain('phải nộp lệ phí trước khi nhận kết quả');
    expect(await page.textContent('.status')).toBe('Đã có kết quả, chờ trả');

    // The payment page shows the QR large for the citizen to scan.
    await page.click('[data-payment-link]');
    await page.waitForURL('**/thu-phi');
    expect(await seriousViolations(page)).toEqual([]);
    const box = (await page.locator('.vietqr-large .vietqr-code svg').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(250);
    const screenQr = decodeQrPng(
      PNG.sync.read(await page.locator('.vietqr-large .vietqr-code svg').screenshot()),
    );
    expect(screenQr).toBe(slipQr);

    // The citizen's bank confirms the transfer (a fake bank, signed with its secret).
    const c = signedCallback(
      { transaction_id: 'FT26069777', amount: 20000, reference: code },
      new Date(),
    );
    const answer = await fetch(`${server.baseUrl}/api/v1/payments/callback/bank`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': c.timestamp,
        'x-signature': c.signature,
      },
      body: c.body,
    });
    expect(await answer.json()).toMatchObject({ outcome: 'paid', dossier: code });
    await page.reload();
    expect(await page.getAttribute('[data-payment-state]', 'data-payment-state')).toBe('paid');
    expect(await page.locator('[data-vietqr]').count()).toBe(0);

    // The receipt: one A5 page, amount in figures and words, method, number.
    await page.click('[data-receipts] a');
    await page.waitForURL('**/thu-phi/bien-lai/*');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.textContent('[data-receipt-number]')).toBe('0000001');
    expect(await page.textContent('[data-receipt-words]')).toBe('Hai mươi nghìn đồng');
    expect(await page.textContent('.payment-receipt')).toContain('Chuyển khoản (VietQR)');
    const receiptPages = pdfPages(await page.pdf({ preferCSSPageSize: true }));
    expect(receiptPages).toHaveLength(1);
    expect(Math.abs(receiptPages[0]![0] - 148)).toBeLessThan(1.5);
    expect(Math.abs(receiptPages[0]![1] - 210)).toBeLessThan(1.5);

    // Now the result goes back.
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    await page.click('#action-return_result button[type=submit]');
    await page.waitForSelector('.flash');
    expect(await page.textContent('.status')).toBe('Đã trả kết quả');

    // The day's takings list it, balanced.
    await page.goto(`${server.baseUrl}/thu-phi/so-thu`);
    expect(await page.getAttribute('[data-balanced]', 'data-balanced')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
