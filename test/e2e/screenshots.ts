/// <reference lib="dom" />
/**
 * `npm run screenshots`: starts the real server with its demo data and writes the README's
 * screenshots to docs/screenshots/. Run it after changing a page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { changeMasterData } from '../../src/master-data.js';
import { createTestContext } from '../support/test-app.js';
import { launchBrowser, startServer } from './browser-support.js';

const OUT = 'docs/screenshots';
fs.mkdirSync(OUT, { recursive: true });
const server = await startServer({ SEED_DEMO_DOSSIERS: 'true' });
// The hall is open only in working hours: the screenshots may be taken at any hour.
{
  const ctx = createTestContext(path.join(server.dataDir, 'e2e.db'));
  await changeMasterData(ctx, (tx) =>
    tx.updateTable('offices').set({ working_hours: '00:00-23:59' }).execute(),
  );
  await ctx.destroy();
}
const browser = await launchBrowser();
try {
  const desk = await browser.newContext({
    locale: 'vi-VN',
    viewport: { width: 1280, height: 800 },
  });
  const page = await desk.newPage();
  // tsx keeps function names with a helper the browser does not have (functions passed to evaluate).
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  const signIn = async (username: string) => {
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.fill('#username', username);
    await page.fill('#password', 'MotCua@2026');
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
  };
  await signIn('canbo');
  await page.screenshot({ path: `${OUT}/board.png` });

  await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
  for (const box of await page.$$('input[name=documents]')) await box.check();
  await page.fill('#personal_id', '035190004321');
  await page.fill('#applicant_name', 'Trần Thị Bình');
  await page.fill('#birth_date', '12/08/1990');
  await page.selectOption('#sex', 'female');
  await page.fill('#phone', '0987654321');
  await page.fill('#address', 'Thôn 5, xã Nhân Thịnh, huyện Lý Nhân, tỉnh Hà Nam');
  await page.screenshot({ path: `${OUT}/intake.png`, fullPage: true });
  await page.keyboard.press('Control+Enter');
  await page.waitForURL('**/phieu/receipt');
  await page.screenshot({ path: `${OUT}/receipt.png`, fullPage: true });
  const url = page.url();

  // A dossier with some history for the timeline.
  const busy = await page.evaluate(async () => {
    const res = await fetch('/api/v1/dossiers?q=', { headers: { accept: 'application/json' } });
    const body = (await res.json()) as { dossiers: { code: string; status: string }[] };
    return body.dossiers.find((d) => d.status === 'returned')?.code ?? body.dossiers[0]!.code;
  });
  await page.goto(`${server.baseUrl}/ho-so/${busy}`);
  await page.screenshot({ path: `${OUT}/dossier.png`, fullPage: true });

  const phone = await browser.newContext({
    locale: 'vi-VN',
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
  });
  const citizen = await phone.newPage();
  await page.goto(url);
  const key = (await page.textContent('.qr-box .key'))?.trim() ?? '';
  const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(url)![1]!);
  await citizen.goto(`${server.baseUrl}/tra-cuu?ma=${encodeURIComponent(code)}&khoa=${key}`);
  await citizen.screenshot({ path: `${OUT}/citizen-phone.png`, fullPage: true });

  const supervisor = await (
    await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } })
  ).newPage();
  await supervisor.goto(`${server.baseUrl}/dang-nhap`);
  await supervisor.fill('#username', 'lanhdao');
  await supervisor.fill('#password', 'MotCua@2026');
  await supervisor.press('#password', 'Enter');
  await supervisor.waitForURL('**/ho-so/hom-nay');
  await supervisor.goto(`${server.baseUrl}/bao-cao?period=week`);
  await supervisor.screenshot({ path: `${OUT}/report.png` });
  await supervisor.goto(`${server.baseUrl}/bao-cao/so-theo-doi?period=week&office=all`);
  await supervisor.screenshot({ path: `${OUT}/tracking-book.png` });

  // After the counter: the processor's worklist, a dossier's steps and its process-control slip.
  const processor = await (
    await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 800 } })
  ).newPage();
  await processor.goto(`${server.baseUrl}/dang-nhap`);
  await processor.fill('#username', 'pheduyet');
  await processor.fill('#password', 'MotCua@2026');
  await processor.press('#password', 'Enter');
  await processor.waitForURL('**/viec-cua-toi');
  await processor.goto(`${server.baseUrl}/viec-cua-toi`);
  await processor.screenshot({ path: `${OUT}/worklist.png` });
  await page.goto(`${server.baseUrl}/ho-so/${busy}/phieu/control`);
  await page.screenshot({ path: `${OUT}/control-slip.png`, fullPage: true });

  // An apology letter (Form 04) for a dossier that cannot make its date.
  await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
  const csrf = await page.inputValue('input[name=_csrf]');
  const late = await page.evaluate(async (token) => {
    const call = async (path: string, body: object) =>
      (
        await fetch(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-csrf-token': token,
          },
          body: JSON.stringify(body),
        })
      ).json();
    const docs = (
      await (
        await fetch('/api/v1/procedures/2.000200', { headers: { accept: 'application/json' } })
      ).json()
    ).procedure.documents.map((d: { id: number }) => String(d.id));
    const made = (
      await call('/api/v1/dossiers', {
        procedure_code: '2.000200',
        outcome: 'accept',
        documents: docs,
        applicant_name: 'Lê Văn Cường',
        personal_id: '035090004323',
        birth_date: '1990-02-03',
        sex: 'male',
        phone: '0912000111',
        address: 'Thôn 2, xã Hòa Hậu, tỉnh Ninh Bình',
      })
    ).dossier;
    await call(`/api/v1/dossiers/${made.code}/actions/reschedule`, {
      version: String(made.version),
      new_due_date: '31/12/2099',
      reason:
        'Chờ kết quả xác minh nhân thân từ Công an địa phương nơi đăng ký thường trú trước đây.',
    });
    return made.code as string;
  }, csrf);
  await page.goto(`${server.baseUrl}/ho-so/${late}/phieu/apology`);
  await page.screenshot({ path: `${OUT}/apology.png`, fullPage: true });
  // The queue: the kiosk (an officer's session opens it too), a ticket, the counter's console, the hall's display.
  const kiosk = `${server.baseUrl}/kiosk/000.00.13.H40`;
  await page.goto(kiosk);
  await page.screenshot({ path: `${OUT}/kiosk.png`, fullPage: true });
  for (const service of ['Căn cước', 'Cư trú', 'Căn cước', 'Đăng ký xe', 'Căn cước']) {
    await page.goto(kiosk);
    await page.click(`button.kiosk-service:has-text("${service}")`);
    await page.waitForURL('**/xep-hang/**');
  }
  await page.screenshot({ path: `${OUT}/ticket.png`, fullPage: true });
  await page.goto(`${server.baseUrl}/quay`);
  await page.click('.card:has-text("Quầy 2") button:has-text("Ngồi quầy này")');
  await page.waitForURL(/\/quay\/\d+$/);
  for (let i = 0; i < 2; i++) await page.click('button[data-key="n"]');
  await page.screenshot({ path: `${OUT}/counter.png`, fullPage: true });
  const hall = await (
    await browser.newContext({ locale: 'vi-VN', viewport: { width: 1920, height: 1080 } })
  ).newPage();
  await hall.goto(`${server.baseUrl}/man-hinh/000.00.13.H40`);
  await hall.screenshot({ path: `${OUT}/display.png` });
  // The hall and the phone at 360×740: the kiosk, the ticket's own page, the booking.
  // The kiosk opened by an officer's session, on a context of its own (the citizen's has none).
  const hand = await (
    await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
    })
  ).newPage();
  await hand.goto(`${server.baseUrl}/dang-nhap`);
  await hand.fill('#username', 'canbo');
  await hand.fill('#password', 'MotCua@2026');
  await hand.press('#password', 'Enter');
  await hand.waitForURL('**/ho-so/hom-nay');
  await hand.goto(kiosk);
  await hand.screenshot({ path: `${OUT}/kiosk-phone.png`, fullPage: true });
  await hand.click('button.kiosk-service:has-text("Cư trú")');
  await hand.waitForURL('**/xep-hang/**');
  await citizen.goto(hand.url());
  await citizen.screenshot({ path: `${OUT}/ticket-phone.png`, fullPage: true });
  // The booking offers the office's real hours again (the server sees the change within a second).
  {
    const ctx = createTestContext(path.join(server.dataDir, 'e2e.db'));
    await changeMasterData(ctx, (tx) =>
      tx.updateTable('offices').set({ working_hours: '07:30-11:30,13:30-17:00' }).execute(),
    );
    await ctx.destroy();
    await new Promise((r) => setTimeout(r, 2_000));
  }
  await citizen.goto(`${server.baseUrl}/dat-lich?office=000.00.13.H40`);
  await citizen.selectOption('#b-group', 'XE');
  await citizen.click('button:has-text("Xem khung giờ còn chỗ")');
  await citizen.waitForSelector('.slot-grid');
  await citizen.check('.slot-grid input >> nth=0');
  await citizen.fill('#b-applicant_name', 'Trần Văn Bình');
  await citizen.fill('#b-personal_id', '001090000001');
  await citizen.fill('#b-phone', '0912345678');
  await citizen.screenshot({ path: `${OUT}/booking-phone.png`, fullPage: true });
  await citizen.click('button:has-text("Đặt lịch")');
  await citizen.waitForSelector('#c-code');
  await citizen.screenshot({ path: `${OUT}/booking-confirm-phone.png`, fullPage: true });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
