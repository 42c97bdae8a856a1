/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  settled,
  startServer,
  type RunningServer,
} from './browser-support.js';

/**
 * Issue 28, "on paper": each form printed to PDF in Chromium. The header blocks never overlap
 * (the "Mẫu số" label, the agency block and the motto), each form fits its pages, and the
 * place-and-date line is today's (item 11, 13). SCREENSHOTS=1 also writes one PNG per form
 * under docs/screenshots/forms/, rendered from the PDF (pdftoppm).
 */
const PASSWORD = 'MotCua@2026';
let server: RunningServer;
let browser: Browser;

const todayLine = () => {
  const [d, m, y] = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  })
    .format(new Date())
    .split('/');
  return `ngày ${d!.padStart(2, '0')} tháng ${Number(m)} năm ${y}`;
};

async function login(username: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await page.goto(`${server.baseUrl}/dang-nhap`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'));
  return page;
}

/** Boxes of the header's parts as printed (print media, the A4 text width). */
function headerBoxes(page: Page) {
  return page.evaluate(() => {
    const box = (sel: string) => {
      const el = document.querySelector(sel);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return {
        top: r.top + window.scrollY,
        bottom: r.bottom + window.scrollY,
        left: r.left,
        right: r.right,
      };
    };
    return {
      label: box('.form-code'),
      agency: box('.slip-header .agency'),
      motto: box('.slip-header .nation > div:first-child'),
      place: document.querySelector('.place-date')?.textContent ?? '',
    };
  });
}

type Box = { top: number; bottom: number; left: number; right: number };
const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const pagesOf = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe.skipIf(!hasChromium)('every form checked as printed', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints 01–07 with the label, agency and motto apart, on their pages, dated today', async () => {
    const page = await login('canbo');
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=2.000200`);
    const csrf = await page.inputValue('input[name=_csrf]');
    const codes = await page.evaluate(async (token) => {
      const call = async (p: string, body: object) => {
        const res = await fetch(p, {
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
        ).json()) as {
          procedure: { documents: { id: number }[] };
        }
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
    const lead = await login('lanhdao');
    const forms: [string, Page, string, number, boolean][] = [
      ['01-receipt-a4', page, `/ho-so/${codes.apology}/phieu/receipt?kho=a4`, 1, true],
      ['01-receipt-a5', page, `/ho-so/${codes.apology}/phieu/receipt`, 1, true],
      ['01-receipt-80mm', page, `/ho-so/${codes.apology}/phieu/receipt?kho=80mm`, 1, false],
      ['02-supplement', page, `/ho-so/${codes.supplement}/phieu/supplement`, 1, true],
      ['03-refusal', page, `/ho-so/${codes.refusal}/phieu/refusal`, 1, true],
      ['04-apology', page, `/ho-so/${codes.apology}/phieu/apology`, 1, true],
      ['05-stop', page, `/ho-so/${codes.stop}/phieu/stop`, 1, true],
      ['06-control', page, `/ho-so/${codes.refusal}/phieu/control`, 1, true],
      ['07-tracking-book', lead, '/bao-cao/so-theo-doi?period=month&office=all', 1, true],
    ];
    const shots = process.env.SCREENSHOTS === '1';
    const dir = path.resolve('docs/screenshots/forms');
    if (shots) fs.mkdirSync(dir, { recursive: true });
    for (const [name, p, url, pages, header] of forms) {
      await p.goto(`${server.baseUrl}${url}`);
      await p.emulateMedia({ media: 'print' });
      // The A4 text width (210 mm less 35 mm of margins) at 96 dpi; the book is landscape.
      await p.setViewportSize({ width: name.startsWith('07') ? 1047 : 661, height: 1000 });
      if (header) {
        const b = await headerBoxes(p);
        expect(b.label && b.agency && b.motto, `${name}: header parts`).toBeTruthy();
        expect(overlaps(b.label!, b.motto!), `${name}: label over the motto`).toBe(false);
        expect(overlaps(b.label!, b.agency!), `${name}: label over the agency`).toBe(false);
        expect(b.label!.top, `${name}: label cut at the top`).toBeGreaterThanOrEqual(0);
        expect(b.place, `${name}: place-and-date line`).toContain(todayLine());
      }
      const pdf = await p.pdf({ preferCSSPageSize: true, printBackground: false });
      expect(pagesOf(pdf), `${name}: pages`).toBe(pages);
      if (shots) {
        const tmp = path.join(os.tmpdir(), `${name}.pdf`);
        fs.writeFileSync(tmp, pdf);
        execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', tmp, path.join(dir, name)]);
        fs.rmSync(tmp);
      }
      await p.emulateMedia({ media: 'screen' });
      await p.setViewportSize({ width: 1366, height: 768 });
    }
  });

  it('shows the tracking book on screen on a sheet as wide as its paper, the table on it', async () => {
    const lead = await login('lanhdao');
    await lead.goto(`${server.baseUrl}/bao-cao/so-theo-doi?period=month&office=all`);
    const at = await lead.evaluate(() => {
      const sheet = document.querySelector('.slip.book')!.getBoundingClientRect();
      const table = document.querySelector('.book-table')!.getBoundingClientRect();
      return {
        sheet: [sheet.left, sheet.right],
        table: [table.left, table.right],
        scrolls: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    // The table ran 1,395 px wide past its portrait sheet in a 1,366 px window. The sheet is
    // A4 landscape, 297 mm (1,122.5 px at 96 dpi), as printed.
    expect(at.sheet[1]! - at.sheet[0]!).toBeGreaterThan(1120);
    expect(at.table[0]).toBeGreaterThanOrEqual(at.sheet[0]!);
    expect(at.table[1]).toBeLessThanOrEqual(at.sheet[1]!);
    expect(at.scrolls).toBe(false);
  });

  it('report filters: a typed date asks for those days; the overdue count leads to its list', async () => {
    const lead = await login('lanhdao');
    await lead.goto(`${server.baseUrl}/bao-cao?period=month`);
    await settled(lead);
    const period = lead.locator('select[name=period]');
    expect(await period.inputValue()).toBe('month');
    // A supervisor typed last month's days and pressed "Xem" without changing the period: the
    // page showed this month again, without a word. Typing a day now chooses "Tùy chọn".
    const from = lead.locator('input[name=from]');
    await from.fill('');
    await from.pressSequentially('01/11/2026');
    expect(await period.inputValue()).toBe('custom');
    await lead.locator('input[name=to]').fill('30/11/2026');
    await Promise.all([
      lead.waitForURL(/period=custom/),
      lead.getByRole('button', { name: 'Xem' }).click(),
    ]);
    await expect
      .poll(() => lead.locator('.page-head p').textContent())
      .toContain('Từ 01/11/2026 đến 30/11/2026');
    // "Tháng trước" is one choice away.
    await period.selectOption('last_month');
    await Promise.all([
      lead.waitForURL(/period=last_month/),
      lead.getByRole('button', { name: 'Xem' }).click(),
    ]);
    expect(await lead.locator('select[name=period]').inputValue()).toBe('last_month');
    // The overdue counter is a link to the overdue list further down.
    await lead.goto(`${server.baseUrl}/bao-cao?period=month`);
    await settled(lead);
    await lead.locator('.counters a[href="#qua-han"]').click();
    await expect.poll(() => lead.evaluate(() => location.hash)).toBe('#qua-han');
    const top = await lead.locator('#qua-han').evaluate((h) => h.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(768);
  });

  it('prints the month report as one or two signed pages with the details as an appendix (item 15)', async () => {
    const lead = await login('lanhdao');
    await lead.goto(`${server.baseUrl}/bao-cao?period=month`);
    await lead.emulateMedia({ media: 'print' });
    // A4 landscape less 10 mm margins, at 96 dpi: 277 × 190 mm.
    await lead.setViewportSize({ width: 1047, height: 718 });
    const at = await lead.evaluate(() => {
      const y = (sel: string) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
      };
      return {
        signatures: y('.report-signatures'),
        // The two who sign stand apart, one on each half of the page.
        signers: Array.from(document.querySelectorAll('.report-signatures > div')).map(
          (d) => d.getBoundingClientRect().left,
        ),
        appendix: y('.report-appendix'),
        motto: document.querySelector('.report-header .nation')?.textContent ?? '',
        place: document.querySelector('.report-header .place-date')?.textContent ?? '',
      };
    });
    expect(at.signatures.bottom).toBeLessThanOrEqual(2 * 718);
    expect(at.signers).toHaveLength(2);
    expect(at.signers[1]! - at.signers[0]!).toBeGreaterThan(1047 / 3);
    expect(at.appendix.top).toBeGreaterThan(at.signatures.bottom);
    expect(at.motto).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(at.place).toContain(todayLine());
    // A table's total is printed once, after its rows, not at the foot of every page it spans
    // (a supervisor read a first page's total as the first row's); a short table stays whole.
    const tables = await lead.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLTableElement>('table.data.report')).map((t) => ({
        rows: t.querySelectorAll('tbody tr').length,
        keep: t.classList.contains('keep'),
        breakInside: getComputedStyle(t).breakInside,
        foot: t.tFoot ? getComputedStyle(t.tFoot).display : null,
      })),
    );
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) {
      if (t.foot !== null) expect(t.foot).toBe('table-row-group');
      expect(t.keep).toBe(t.rows <= 15);
      if (t.keep) expect(t.breakInside).toBe('avoid');
    }
    const pdf = await lead.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pagesOf(pdf)).toBeGreaterThanOrEqual(2);
    if (process.env.SCREENSHOTS === '1') {
      const tmp = path.join(os.tmpdir(), 'report.pdf');
      fs.writeFileSync(tmp, pdf);
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '60',
        '-singlefile',
        tmp,
        path.resolve('docs/screenshots/forms/report'),
      ]);
      fs.rmSync(tmp);
    }
  });
});
