/// <reference lib="dom" />
/**
 * `npm run screenshots`: starts the real server with its demo data and writes the README's
 * screenshots to docs/screenshots/. Run it after changing a page.
 */
import fs from 'node:fs';
import { launchBrowser, startServer } from './browser-support.js';

const OUT = 'docs/screenshots';
fs.mkdirSync(OUT, { recursive: true });
const server = await startServer({ SEED_DEMO_DOSSIERS: 'true' });
const browser = await launchBrowser();
try {
  const desk = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
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

  const phone = await browser.newContext({ locale: 'vi-VN', viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  const citizen = await phone.newPage();
  await page.goto(url);
  const key = (await page.textContent('.qr-box .key'))?.trim() ?? '';
  const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(url)![1]!);
  await citizen.goto(`${server.baseUrl}/tra-cuu?ma=${encodeURIComponent(code)}&khoa=${key}`);
  await citizen.screenshot({ path: `${OUT}/citizen-phone.png`, fullPage: true });

  const supervisor = await (await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } })).newPage();
  await supervisor.goto(`${server.baseUrl}/dang-nhap`);
  await supervisor.fill('#username', 'lanhdao');
  await supervisor.fill('#password', 'MotCua@2026');
  await supervisor.press('#password', 'Enter');
  await supervisor.waitForURL('**/ho-so/hom-nay');
  await supervisor.goto(`${server.baseUrl}/bao-cao?period=week`);
  await supervisor.screenshot({ path: `${OUT}/report.png` });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
