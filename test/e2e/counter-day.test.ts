/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  settled,
  startServer,
  type RunningServer,
} from './browser-support.js';

/**
 * Issue 28 in a real browser: every focused field of the intake form in view above the sticky
 * decision bar (items 2 and 3), and an ID number that fills the applicant never leaves the cursor
 * in the filled name (item 5).
 */
const PASSWORD = 'MotCua@2026';
let server: RunningServer;
let browser: Browser;

async function counterAt(
  width: number,
  height: number,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width, height } });
  const page = await ctx.newPage();
  await page.goto(`${server.baseUrl}/dang-nhap`);
  await page.fill('#username', 'canbo');
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL((u) => u.pathname === '/ho-so/hom-nay');
  return { ctx, page };
}

/** Where the focused element (with its label and error message) sits against the window and the bar. */
function focusedBox(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const bar = document.querySelector('.intake .decision');
    if (!el || el === document.body || !bar || bar.contains(el)) return null;
    const boxes = [el.getBoundingClientRect()];
    for (const id of (el.getAttribute('aria-describedby') ?? '').split(/\s+/)) {
      const d = id ? document.getElementById(id) : null;
      if (d && d.offsetParent !== null && d.textContent?.trim())
        boxes.push(d.getBoundingClientRect());
    }
    const barTop = bar.getBoundingClientRect().top;
    return {
      name: el.id || el.getAttribute('name') || el.tagName,
      top: Math.min(...boxes.map((b) => b.top)),
      bottom: Math.max(...boxes.map((b) => b.bottom)),
      barTop,
      height: window.innerHeight,
    };
  });
}

function expectInView(box: Awaited<ReturnType<typeof focusedBox>>, where: string) {
  if (!box) return;
  expect(box.top, `${where}: ${box.name} above the window`).toBeGreaterThanOrEqual(0);
  expect(box.bottom, `${where}: ${box.name} under the decision bar`).toBeLessThanOrEqual(
    box.barTop + 0.5,
  );
}

describe.skipIf(!hasChromium)(
  'a working day at the counter, in a real browser',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      server = await startServer();
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it.each([
      [1366, 768],
      [1280, 720],
    ])(
      'keeps each field tabbed to in view above the decision bar at %i×%i, for each kind of procedure (item 2)',
      async (width, height) => {
        const { ctx, page } = await counterAt(width, height);
        for (const procedure of ['2.000200', '1.004194', 'LOCAL-DKX-SANG']) {
          await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=${procedure}`);
          let seen = 0;
          for (let i = 0; i < 40; i++) {
            await page.keyboard.press('Tab');
            const box = await focusedBox(page);
            if (box) seen++;
            expectInView(box, `${procedure} at ${width}×${height}, tab ${i + 1}`);
          }
          expect(seen).toBeGreaterThan(10);
        }
        await ctx.close();
      },
    );

    it('after 31/02 as a birth date, focuses the field and keeps it and its message in view (item 2)', async () => {
      const { ctx, page } = await counterAt(1366, 768);
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
      await page.fill('#personal_id', '001190054321');
      await page.fill('#applicant_name', 'Nguyễn Văn An');
      await page.fill('#birth_date', '31/02/1990');
      await page.fill('#address', 'Thôn 3, xã Hòa Hậu');
      await page.click('button[value="accept"]');
      await page.waitForSelector('#birth_date[aria-invalid="true"]');
      // The form's script (deferred) keeps a focused field above the bar: wait until it runs, and
      // for the refused field's autofocus (a frame after load).
      await settled(page);
      // The first field refused has the focus, in view; the birth date and its message too when
      // the officer moves there.
      const first = await focusedBox(page);
      expect(first).not.toBeNull();
      expectInView(first, 'first refused field');
      await page.focus('#birth_date');
      const box = await focusedBox(page);
      expect(box?.name).toBe('birth_date');
      expect(box!.bottom - box!.top).toBeGreaterThan(30); // the field and its message
      expectInView(box, 'birth date refused');
      await ctx.close();
    });

    it('keeps a field the browser scrolls to above the decision bar before the script has run (item 2)', async () => {
      const { ctx, page } = await counterAt(1366, 768);
      await ctx.route('**/public/js/app.js', (route) => route.abort());
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
      await page.fill('#personal_id', '001190054321');
      await page.fill('#applicant_name', 'Nguyễn Văn An');
      await page.fill('#birth_date', '31/02/1990');
      await page.click('button[value="accept"]');
      await page.waitForSelector('#birth_date[aria-invalid="true"]');
      await page.waitForLoadState('load');
      for (const id of ['birth_date', 'address', 'personal_id']) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.focus(`#${id}`);
        const { bottom, barTop } = await page.evaluate((id) => {
          const bar = document.querySelector('.intake .decision')!.getBoundingClientRect();
          return {
            bottom: document.getElementById(id)!.getBoundingClientRect().bottom,
            barTop: bar.top,
          };
        }, id);
        expect(bottom, `${id} under the decision bar without the script`).toBeLessThanOrEqual(
          barTop,
        );
      }
      await ctx.close();
    });

    it('focuses Loại xe on a vehicle form returned with its error, where ArrowDown does not scroll the page (item 3)', async () => {
      const { ctx, page } = await counterAt(1366, 768);
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=LOCAL-DKX-SANG`);
      for (const box of await page.$$('input[name="documents"]')) await box.check();
      await page.fill('#personal_id', '035090001234');
      await page.fill('#applicant_name', 'Nguyễn Văn An');
      await page.fill('#birth_date', '01/05/1990');
      await page.selectOption('#sex', 'male');
      await page.fill('#address', 'Thôn 3, xã Hòa Hậu');
      await page.click('button[value="accept"]');
      await page.waitForSelector('#vehicle_kind[aria-invalid="true"]');
      // The form's script (deferred) keeps a focused field above the bar: wait until it runs, and
      // for the refused field's autofocus (a frame after load).
      await settled(page);
      const box = await focusedBox(page);
      expect(box?.name).toBe('vehicle_kind');
      expectInView(box, 'vehicle kind refused');
      const before = await page.evaluate(() => window.scrollY);
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => window.scrollY)).toBe(before);
      await ctx.close();
    });

    it('moves the cursor past the applicant a known ID number filled; a filled field entered is replaced, not appended to (item 5)', async () => {
      const { ctx, page } = await counterAt(1366, 768);
      // The office meets this person once…
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
      for (const box of await page.$$('input[name="documents"]')) await box.check();
      await page.fill('#personal_id', '001190012345');
      await page.fill('#applicant_name', 'Lê Thị Ngọc Ánh');
      await page.fill('#birth_date', '12/08/1990');
      await page.selectOption('#sex', 'female');
      await page.fill('#phone', '0987654321');
      await page.fill('#address', 'Số 5 phố Huế, Hà Nội');
      await page.click('button[value="accept"]');
      await page.waitForURL((u) => u.pathname.includes('/phieu/'));
      // …and again: the officer types the ID number and keeps typing.
      await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
      await page.focus('#personal_id');
      await page.keyboard.type('001190012345');
      await expect
        .poll(() => page.inputValue('#applicant_name'), { timeout: 20_000 })
        .toBe('Lê Thị Ngọc Ánh');
      const focused = await page.evaluate(() => document.activeElement?.id);
      expect(['applicant_name', 'personal_id']).not.toContain(focused);
      await page.keyboard.type('anh@example.vn');
      expect(await page.inputValue('#applicant_name')).toBe('Lê Thị Ngọc Ánh');
      // Going back into the filled name and typing replaces it.
      await page.focus('#applicant_name');
      await page.keyboard.type('Lê Thị Ngọc Anh');
      expect(await page.inputValue('#applicant_name')).toBe('Lê Thị Ngọc Anh');
      await ctx.close();
    });

    it.each(['tam tru', 'dang ky tam tru', 'đăng ký tạm trú'])(
      'opens Đăng ký tạm trú for "%s" and Enter, as the picker says, ranked in the browser too (item 1)',
      async (typed) => {
        const { ctx, page } = await counterAt(1366, 768);
        await page.goto(`${server.baseUrl}/ho-so/moi`);
        await page.focus('#procedure-filter');
        await page.keyboard.type(typed);
        // The browser's filter ranks as the server does: the first visible entry is the one.
        await expect
          .poll(() =>
            page.evaluate(
              () =>
                Array.from(
                  document.querySelectorAll<HTMLElement>('#procedure-list li[data-code]'),
                ).find((li) => li.offsetParent !== null)?.dataset.code,
            ),
          )
          .toBe('1.004194');
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.searchParams.get('thu-tuc') === '1.004194');
        await ctx.close();
      },
    );
  },
);
