/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  launchBrowser,
  startServer,
  type RunningServer,
} from './browser-support.js';

/**
 * Issue 34's user trial, "on paper": the service index printed to PDF in Chromium like the
 * month report, with the agency header and the motto apart, a title naming the period and the
 * unit, indicator and office names that do not wrap word by word, the signatures on the first
 * pages and the offices' ranking as an appendix. PDF_PNG=dir also writes the pages as PNGs
 * (pdftoppm) to look at.
 */
const PASSWORD = 'MotCua@2026';
let server: RunningServer;
let browser: Browser;

const vietnamToday = () =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  })
    .format(new Date())
    .split('/')
    .map(Number) as [number, number, number];

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

type Box = { top: number; bottom: number; left: number; right: number };
const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const pagesOf = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describeInBrowser('the service index as printed', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints on A4 with header, motto, period and unit, readable columns, signatures, then the ranking', async () => {
    const lead = await login('lanhdao');
    const [d, m, y] = vietnamToday();
    await lead.goto(`${server.baseUrl}/bao-cao/chi-so?kind=month&n=${m}&year=${y}&office=all`);
    await lead.emulateMedia({ media: 'print' });
    // A4 landscape less 10 mm margins, at 96 dpi: 277 × 190 mm.
    await lead.setViewportSize({ width: 1047, height: 718 });
    const at = await lead.evaluate(() => {
      const box = (el: Element | null) => {
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return {
          top: r.top + window.scrollY,
          bottom: r.bottom + window.scrollY,
          left: r.left,
          right: r.right,
        };
      };
      const q = (sel: string) => document.querySelector(sel);
      const shown = (sel: string) =>
        Array.from(document.querySelectorAll(sel)).filter((el) => (el as HTMLElement).offsetParent)
          .length;
      const lines = (sel: string) =>
        Array.from(document.querySelectorAll(sel)).map((el) => ({
          text: el.textContent ?? '',
          lines: new Set(Array.from(el.getClientRects()).map((r) => Math.round(r.top))).size,
        }));
      // The widest figures a score's columns print, written into the first scored row: none
      // may run out of its cell (the points and the period before ran into each other).
      const scored = document.querySelector('table.service-index tbody tr td.num')!.parentElement!;
      const cells = Array.from(scored.querySelectorAll('td.num'));
      const widest = ['1.234', '1.234', '100,0 %', '15,75 / 18', '100,0 % · 13,5'];
      cells.slice(-widest.length).forEach((cell, i) => (cell.textContent = widest[i]!));
      const footCells = Array.from(document.querySelectorAll('table.service-index tfoot td.num'));
      footCells.forEach((cell) => (cell.textContent = '28,13 / 56'));
      const overflowing = [...cells, ...footCells]
        .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent);
      return {
        overflowing,
        agency: box(q('.report-header .slip-header .agency')),
        motto: box(q('.report-header .slip-header .nation > div:first-child')),
        mottoText: q('.report-header .nation')?.textContent ?? '',
        title: q('.report-header .slip-title')?.textContent ?? '',
        subtitle: q('.report-header .print-subtitle')?.textContent ?? '',
        place: q('.report-header .place-date')?.textContent ?? '',
        headerTop: box(q('.report-header'))!.top,
        scoreTop: box(q('table.service-index'))!.top,
        signatures: box(q('.report-signatures'))!,
        appendix: box(q('.report-appendix')),
        screenOnly: shown('form.filters, .exports, .page-head, [data-print], .topbar'),
        names: lines('table.service-index .indicator-name'),
        offices: lines('table.office-ranking .office-name'),
      };
    });
    const pdf = await lead.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
    const out = process.env.PDF_PNG;
    if (out) {
      const tmp = path.join(os.tmpdir(), 'chi-so.pdf');
      fs.writeFileSync(tmp, pdf);
      execFileSync('pdftoppm', ['-png', '-r', '60', tmp, path.join(out, 'chi-so')]);
      fs.rmSync(tmp);
    }
    expect(at.overflowing, 'figures wider than their cells').toEqual([]);
    expect(at.agency && at.motto, 'header parts').toBeTruthy();
    // Printed, not merely present: a hidden header measures zero.
    expect(at.agency!.bottom - at.agency!.top, 'agency block printed').toBeGreaterThan(10);
    expect(at.motto!.bottom - at.motto!.top, 'motto printed').toBeGreaterThan(5);
    expect(at.signatures.bottom - at.signatures.top, 'signatures printed').toBeGreaterThan(30);
    expect(overlaps(at.agency!, at.motto!), 'agency over the motto').toBe(false);
    expect(at.mottoText).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(at.place).toContain(`ngày ${String(d).padStart(2, '0')} tháng ${m} năm ${y}`);
    expect(at.title).toContain('BÁO CÁO CHỈ SỐ PHỤC VỤ');
    expect(at.subtitle).toContain(`Tháng ${m}/${y}`);
    expect(at.subtitle).toMatch(/Đơn vị: \S/);
    expect(at.headerTop, 'the header before the scores').toBeLessThan(at.scoreTop);
    expect(at.screenOnly, 'screen-only controls hidden').toBe(0);
    expect(at.names.length).toBe(15);
    for (const n of at.names) expect(n.lines, `"${n.text}" wraps`).toBeLessThanOrEqual(2);
    expect(at.offices.length).toBeGreaterThan(1);
    for (const n of at.offices) expect(n.lines, `"${n.text}" wraps`).toBeLessThanOrEqual(3);
    // Signed within two pages; the ranking follows from a new page.
    expect(at.signatures.bottom).toBeLessThanOrEqual(2 * 718);
    expect(at.appendix!.top).toBeGreaterThan(at.signatures.bottom);
    const pages = pagesOf(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
  });
});
