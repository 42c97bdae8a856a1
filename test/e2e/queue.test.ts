/// <reference lib="dom" />
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { changeMasterData } from '../../src/master-data.js';
import { decodeQrPng } from '../support/qr-decode.js';
import { accountNamed } from '../support/factories.js';
import { createTestContext } from '../support/test-app.js';
import {
  describeInBrowser,
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

describeInBrowser('the queue in a real browser', { timeout: 120_000 }, () => {
  let kioskToken = '';
  beforeAll(async () => {
    server = await startServer({ NOTIFY_SENDER: 'off' });
    const ctx = createTestContext(path.join(server.dataDir, 'e2e.db'));
    kioskToken = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'sảnh', null, {
      scope: 'kiosk',
    });
    // The hall is open only in working hours on working days (item 7): this run's offices work
    // around the clock, today and tomorrow included whatever day the run falls on (a Saturday's
    // run found no service on the kiosk).
    const localDay = (offset: number) =>
      new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    await changeMasterData(ctx, async (tx) => {
      await tx.updateTable('offices').set({ working_hours: '00:00-23:59' }).execute();
      for (const day of [localDay(0), localDay(1)]) {
        await tx.deleteFrom('calendar_days').where('day', '=', day).execute();
        await tx
          .insertInto('calendar_days')
          .values({
            day,
            kind: 'make_up_workday',
            name: 'Kiểm thử',
            created_at: new Date().toISOString(),
          })
          .execute();
      }
    });
    await ctx.destroy();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('kiosk ticket → the display calls it → intake from the ticket → receipt; the phone page follows it', async () => {
    // The kiosk: a tablet opened once with its token.
    const kiosk = await (
      await browser.newContext({
        locale: 'vi-VN',
        viewport: { width: 1280, height: 800 },
        hasTouch: true,
        bypassCSP: true,
      })
    ).newPage();
    await kiosk.goto(`${server.baseUrl}/kiosk/${OFFICE}?khoa=${kioskToken}`);
    expect(kiosk.url()).toBe(`${server.baseUrl}/kiosk/${OFFICE}`); // the token left the address
    expect(await seriousViolations(kiosk)).toEqual([]);
    // Item 7: one tap prints; no second tap on a print button.
    await kiosk.addInitScript(() => {
      window.print = () => {
        const w = window as unknown as { printed?: number };
        w.printed = (w.printed ?? 0) + 1;
      };
    });
    await kiosk.tap('button.kiosk-service:has-text("Căn cước")');
    await kiosk.waitForURL('**/xep-hang/**');
    await expect
      .poll(() => kiosk.evaluate(() => (window as unknown as { printed?: number }).printed ?? 0))
      .toBe(1);
    expect(await kiosk.textContent('.ticket-number')).toBe('C001');
    expect(await kiosk.textContent('.ticket-ahead')).toContain('người tiếp theo');
    expect(await seriousViolations(kiosk)).toEqual([]);
    // The slip prints on one 80 mm page, and its QR opens the phone page.
    const pdf = (await kiosk.pdf({ preferCSSPageSize: true })).toString('latin1');
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf)!;
    expect(Math.abs((Number(box[1]) * 25.4) / 72 - 80)).toBeLessThan(1.5);
    expect(pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
    const followUrl =
      decodeQrPng(PNG.sync.read(await kiosk.locator('.ticket-qr svg').screenshot())) ?? '';
    expect(followUrl).toMatch(
      new RegExp(`^${server.baseUrl.replace(/\./g, '\\.')}/xep-hang/[\\w-]+$`),
    );

    // The citizen's phone follows the ticket.
    const phone = await (
      await browser.newContext({
        locale: 'vi-VN',
        viewport: { width: 360, height: 740 },
        isMobile: true,
        bypassCSP: true,
      })
    ).newPage();
    await phone.goto(followUrl);
    expect(await seriousViolations(phone)).toEqual([]);
    // The stream's first word on a ticket just taken: first in line, never "finished" (a
    // snapshot older than the ticket once said so).
    await phone.waitForFunction(() => document.body.dataset.ticketState !== undefined);
    expect(await phone.evaluate(() => document.body.dataset.ticketState)).toBe('waiting');
    expect(await phone.textContent('[data-live="text"]')).toContain('Ông/Bà là người tiếp theo');
    // Item 9: the field asks for a phone number; the button says what it does.
    expect(await phone.textContent('label[for="p-phone"]')).toContain('Số điện thoại');
    expect(await phone.textContent('label[for="p-phone"]')).not.toBe(
      await phone.textContent('form button[type="submit"]'),
    );
    const phoneWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(phoneWidth).toBeLessThanOrEqual(360);

    // The hall's screen.
    const display = await (
      await browser.newContext({
        locale: 'vi-VN',
        viewport: { width: 1920, height: 1080 },
        bypassCSP: true,
      })
    ).newPage();
    await display.goto(`${server.baseUrl}/man-hinh/${OFFICE}`);
    expect(await seriousViolations(display)).toEqual([]);
    expect(await display.textContent('[data-now]')).toContain('Chưa gọi số nào');
    await display.click('[data-sound]'); // the chime needs a gesture first

    // The officer sits at counter 1 and calls.
    const officer = await (
      await browser.newContext({
        locale: 'vi-VN',
        viewport: { width: 1366, height: 800 },
        bypassCSP: true,
      })
    ).newPage();
    await officer.goto(`${server.baseUrl}/dang-nhap?next=/quay`);
    await officer.fill('#username', 'canbo');
    await officer.fill('#password', PASSWORD);
    await officer.press('#password', 'Enter');
    await officer.waitForURL('**/quay');
    // Item 8: the counters are cards, not a bulleted list.
    expect(
      await officer.evaluate(
        () => getComputedStyle(document.querySelector('.card-list')!).listStyleType,
      ),
    ).toBe('none');
    await officer.click('.card:has-text("Quầy 1") button:has-text("Ngồi quầy này")');
    await officer.waitForURL(/\/quay\/\d+$/);
    expect(await seriousViolations(officer)).toEqual([]);
    // Item 8: the shortcut hint names T, and the check-in box does not cover it.
    expect(await officer.textContent('[data-keys-hint]')).toContain('T tiếp nhận');
    const hint = (await officer.locator('[data-keys-hint]').boundingBox())!;
    const checkInBox = (await officer.locator('.counter-check-in').boundingBox())!;
    expect(checkInBox.y).toBeGreaterThanOrEqual(hint.y + hint.height);
    await officer.keyboard.press('n'); // call next, from the keyboard
    await expect.poll(() => officer.textContent('.flash')).toContain('Đã gọi số C001');
    await expect
      .poll(() => display.textContent('[data-now]'), { timeout: 20_000 })
      .toMatch(/C001\s*→\s*Quầy 1/);
    expect(await display.evaluate(() => document.body.dataset.lastCall)).toBe('C001');
    // Item 10: at 1920 wide "C001 → Quầy 1" stays on one line, inside the screen.
    const parts = await Promise.all(
      ['.display-number', '.display-arrow', '.display-counter'].map(
        async (c) => (await display.locator(`[data-now] ${c}`).boundingBox())!,
      ),
    );
    const middles = parts.map((b) => b.y + b.height / 2);
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(20);
    expect(parts[2]!.x + parts[2]!.width).toBeLessThanOrEqual(1920);
    expect(parts[1]!.x).toBeGreaterThan(parts[0]!.x + parts[0]!.width - 1);
    await expect
      .poll(() => phone.textContent('[data-live="text"]'), { timeout: 20_000 })
      .toContain('Mời Ông/Bà đến Quầy 1');

    // Intake from the ticket: its group's procedures, the form, the receipt.
    await officer.click('text=Tiếp nhận hồ sơ từ số này');
    await officer.waitForURL('**/ho-so/moi?so=*');
    expect(await officer.textContent('main')).toContain('C001');
    await officer.click('a:has-text("Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên")');
    await officer.waitForURL('**/ho-so/moi?thu-tuc=2.000200&so=*');
    for (const box of await officer.locator('input[name="documents"]').all()) await box.check();
    await officer.fill('#id_card_qr', CARD_QR);
    await officer.press('#id_card_qr', 'Enter');
    await expect.poll(() => officer.inputValue('#applicant_name')).toBe('Nguyễn Văn An');
    await officer.fill('#phone', '0912345678');
    await officer.click('button[value="accept"]');
    await officer.waitForURL('**/phieu/receipt');
    const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(officer.url())![1]!);
    await officer.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(code)}`);
    expect(await officer.textContent('[data-ticket]')).toMatch(
      /C001[\s\S]*lấy số[\s\S]*gọi[\s\S]*Quầy 1[\s\S]*phục vụ từ/,
    );
    // Item 8: the intake was the ticket's service; the phone stops calling the citizen.
    await expect
      .poll(() => phone.textContent('[data-live="text"]'), { timeout: 20_000 })
      .toContain('Lượt của Ông/Bà đã kết thúc.');
    for (const p of [kiosk, phone, display, officer]) await p.context().close();
  });

  it('books on a phone at 360×740: slot, the code from the SMS, what to bring, then cancel with code and phone', async () => {
    const page = await (
      await browser.newContext({
        locale: 'vi-VN',
        viewport: { width: 360, height: 740 },
        isMobile: true,
        bypassCSP: true,
      })
    ).newPage();
    // Item 9: the public menu leads to the booking.
    await page.goto(`${server.baseUrl}/tra-cuu`);
    await page.click('nav a:has-text("Đặt lịch")');
    await page.waitForURL('**/dat-lich');
    await page.goto(`${server.baseUrl}/dat-lich?office=${OFFICE}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.selectOption('#b-group', 'XE');
    await page.click('button:has-text("Xem khung giờ còn chỗ")');
    await page.waitForSelector('.slot-grid');
    expect(await seriousViolations(page)).toEqual([]);
    await page.check('.slot-grid input >> nth=0');
    await page.fill('#b-applicant_name', 'Trần Văn Bình');
    await page.fill('#b-personal_id', '001090000001');
    await page.fill('#b-phone', '0912345678');
    await page.click('button:has-text("Đặt lịch")');
    // The confirmation page: the phone shown masked, a code asked for.
    await page.waitForSelector('#c-code');
    expect(await page.textContent('main')).toContain('•••••••678');
    expect(await seriousViolations(page)).toEqual([]);
    const ctx = createTestContext(path.join(server.dataDir, 'e2e.db'));
    const sms = await ctx.db
      .selectFrom('notifications')
      .select('body')
      .where('kind', '=', 'booking_code')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await ctx.destroy();
    await page.fill('#c-code', /(\d{6})/.exec(sms.body)![1]!);
    await page.click('#c-code ~ button');
    await page.waitForSelector('[data-booking-code]');
    const code = (await page.textContent('[data-booking-code]'))!.trim();
    expect(code).toMatch(/^DL-[A-Z2-9]{8}$/);
    expect(await page.textContent('[data-booking-service]')).toBe('Đăng ký xe');
    expect(await page.isVisible('[data-booking-papers]')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    // The SMS link: code prefilled, the phone asked; then cancel.
    await page.click('a[href*="/dat-lich/cua-toi?ma="]');
    expect(await page.inputValue('#m-code')).toBe(code);
    await page.fill('#m-phone', '0912 345 678');
    await page.click('form[action="/dat-lich/cua-toi"] button');
    await page.waitForSelector('#cancel-title');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('form[action="/dat-lich/cua-toi/huy"] button');
    await page.waitForSelector('text=Đã hủy lịch hẹn');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
