import path from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import type { AppContext } from '../context.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { writeWithBackpressure as write } from '../lib/streams.js';
import { VIETNAM_OFFSET_MINUTES } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { csvLine, UTF8_BOM } from '../lib/csv.js';
import { COUNT_KEYS } from './report-tally.js';
import {
  findEncodedTrackingBookPage,
  findTrackingBookPageEnds,
  trackingBookReadWorkers,
  type BookKey,
  type EncodedBookPage,
  type TrackingBookRow,
} from './tracking-book.repository.js';
import { encodeBookCsv, encodeBookXlsx, type BookPageInput } from './tracking-book-encoding.js';
import { pagesInOrder } from './book-pages.js';
import { XLSX_DEFLATE_LEVEL, XlsxSheetWriter, type XlsxCell } from '../lib/xlsx-sheet-writer.js';
import { sharedStringTable } from '../lib/xlsx-cells.js';
import { procedureNames } from '../procedures/procedures.service.js';
import type { Report, ReportScope } from './reports.service.js';
import type { ReportSection, ReportValue } from './extensions.js';

const PAGE = 1000;

// The read workers load the book's encoding (tracking-book-encoding.ts) as JavaScript: built,
// it is the file beside this one. Run from the TypeScript sources, the test suite's JavaScript
// build (test/support/js-build.ts) holds it; under tsx alone there is none, and the pages are
// encoded on the main thread.
const fromSources = import.meta.url.endsWith('.ts');
const testBuild = fromSources ? process.env.MOTCUA_JS_BUILD : undefined;
/** The module the read workers encode the tracking book with (null: it is encoded here). */
export const BOOK_ENCODING_MODULE: string | null = !fromSources
  ? new URL('./tracking-book-encoding.js', import.meta.url).href
  : testBuild
    ? pathToFileURL(path.join(testBuild, 'src', 'reports', 'tracking-book-encoding.js')).href
    : null;

const R = vi.reports;

export const COUNT_HEADERS: Record<(typeof COUNT_KEYS)[number], string> = R.counts;

export function scopeLabel(scope: ReportScope): string {
  return scope.office
    ? `${scope.office.name} (${scope.office.code})`
    : R.preamble.allInScope(scope.offices.map((o) => o.name).join('; '));
}

/** The lines above every export: what it covers and when it was made. */
export function exportPreamble(
  title: string,
  scope: ReportScope,
  from: string,
  to: string,
  generatedAt: Date,
): unknown[][] {
  return [
    [title],
    [R.preamble.office, scopeLabel(scope)],
    [R.preamble.from, formatDate(from)],
    [R.preamble.to, formatDate(to)],
    [R.preamble.filter, scope.office ? R.preamble.oneOffice : R.preamble.allOffices],
    [R.preamble.generatedAt, formatDateTime(generatedAt)],
    [],
  ];
}

const SECTIONS = (['byReportGroup', 'byProcedure', 'byOffice', 'byOfficer'] as const).map(
  (key) => [key, R.sections[key]] as const,
);

/**
 * A share as whole per-mille (0,571 → 571): an integer, which Excel reads as a number in a
 * Vietnamese locale (decimal comma) and an English one (decimal point) alike; "57.1" is text to
 * the first. The column headers say so (docs/API.md).
 */
const perMille = (share: number) => Math.round(share * 1000);

/** Rows of the summary: a table per breakdown with its total, then satisfaction. */
export function summaryRows(report: Report): unknown[][] {
  const header = ['', ...COUNT_KEYS.map((k) => COUNT_HEADERS[k]), R.resolved, R.onTimeRatePercent];
  const line = (g: Report['totals']) => [
    g.label,
    ...COUNT_KEYS.map((k) => g[k]),
    g.resolved,
    g.onTimeRate === null ? '' : perMille(g.onTimeRate),
  ];
  const value = (f: Report['figureLines'][number], v: number | null) =>
    v === null ? '' : f.share ? perMille(v) : v;
  const rows: unknown[][] = [
    [R.figuresTitle],
    R.figuresHeader,
    ...report.figureLines.map((f) => [R.figures[f.key], value(f, f.now), value(f, f.before)]),
    [],
  ];
  for (const [key, title] of SECTIONS) {
    rows.push(
      [title],
      header,
      ...report[key].map(line),
      line({ ...report.totals, label: R.total }),
      [],
    );
  }
  rows.push(
    [R.satisfaction],
    ...Object.entries(vi.lookup.rating.levels).map(([level, label]) => [
      label,
      report.ratings[level] ?? 0,
    ]),
  );
  rows.push(...sectionRows(report.sections));
  return rows;
}

/** The features' sections (fees, digitisation): each table with its heading and total. */
export function sectionRows(sections: ReportSection[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const section of sections) {
    rows.push([], [section.title]);
    for (const table of section.tables) {
      const cell = (v: ReportValue, i: number) =>
        v === null
          ? ''
          : table.columns[i]?.kind === 'percent'
            ? Math.round(Number(v) * 1000) / 10
            : v;
      rows.push(
        [table.caption],
        table.columns.map((c) =>
          c.kind === 'percent'
            ? `${c.label} (%)`
            : c.kind === 'seconds'
              ? vi.reports.secondsColumn(c.label)
              : c.label,
        ),
        ...table.rows.map((r) => r.map(cell)),
        ...(table.total ? [table.total.map(cell)] : []),
        [],
      );
    }
    if (section.note) rows.push([section.note]);
  }
  return rows;
}

export async function writeSummaryCsv(
  out: Writable,
  report: Report,
  scope: ReportScope,
): Promise<void> {
  await write(out, UTF8_BOM);
  for (const row of [
    ...exportPreamble(
      R.summaryTitle,
      scope,
      report.query.from,
      report.query.to,
      report.generatedAt,
    ),
    ...summaryRows(report),
  ]) {
    await write(out, csvLine(row));
  }
  out.end();
}

export async function writeSummaryXlsx(
  out: Writable,
  report: Report,
  scope: ReportScope,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(R.summarySheet);
  sheet.columns = [
    { width: 48 },
    ...COUNT_KEYS.map(() => ({ width: 14 })),
    { width: 14 },
    { width: 16 },
  ];
  const rows = [
    ...exportPreamble(
      R.summaryTitle,
      scope,
      report.query.from,
      report.query.to,
      report.generatedAt,
    ),
    ...summaryRows(report),
  ];
  for (const values of rows) {
    const row = sheet.addRow(values);
    if (values.length === 1) row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

const BOOK_HEADER = R.trackingBookHeader;

/**
 * The tracking book office by office, in receipt order, as encoded pages (CSV lines or sheet
 * rows) in order; each page is one short query. Pages, not rows: a promise per row was a
 * measurable share of an export.
 *
 * With read workers (SQLite's reportDb) each worker reads a page and encodes it (the encoding
 * costs more than the read), and as many pages are under way as there are workers, plus one:
 * the event loop only writes bytes. Elsewhere the page is read (PostgreSQL: on its server,
 * while the page before is encoded) and encoded here. The text is the same either way.
 */
async function* encodedBookPages<I extends BookPageInput>(
  ctx: AppContext,
  scope: ReportScope,
  window: { startIso: string; endIso: string },
  encoding: {
    task: 'encodeBookCsv' | 'encodeBookXlsx';
    encode: (rows: TrackingBookRow[], input: I) => Uint8Array | string;
    input: (firstN: number, officeName: string) => I;
    /** On the workers, the text deflated at this level as pieces of a ZIP entry. */
    deflate?: number;
  },
): AsyncGenerator<{ bytes: EncodedBookPage['payload']; count: number }> {
  const db = ctx.reportDb;
  const workers = BOOK_ENCODING_MODULE ? trackingBookReadWorkers(db) : 0;
  let n = 0;
  for (const officeId of scope.officeIds) {
    const officeName = scope.offices.find((o) => o.id === officeId)?.name ?? '';
    const { startIso, endIso } = window;
    const read = (after: BookKey | null, firstN: number) =>
      findEncodedTrackingBookPage(db, ctx.sqlite, officeId, startIso, endIso, after, PAGE, {
        module: workers ? BOOK_ENCODING_MODULE : null,
        task: encoding.task,
        encode: encoding.encode,
        input: encoding.input(firstN, officeName),
        deflate: encoding.deflate,
      });
    // A plan of the pages lets them be read side by side: a page on each worker, or (PostgreSQL)
    // the next on the database server while this one is encoded here.
    const ends = await findTrackingBookPageEnds(db, officeId, startIso, endIso, PAGE);
    for await (const page of pagesInOrder({
      ends,
      pageSize: PAGE,
      firstN: n + 1,
      depth: workers ? workers + 1 : 2,
      read,
    })) {
      n += page.count;
      yield { bytes: page.payload, count: page.count };
    }
  }
}

/** Streams the tracking book (sổ theo dõi hồ sơ) as CSV; returns the number of dossiers. */
export async function writeTrackingBookCsv(
  ctx: AppContext,
  out: Writable,
  scope: ReportScope,
  from: string,
  to: string,
  window: { startIso: string; endIso: string },
): Promise<number> {
  await write(out, UTF8_BOM);
  for (const row of exportPreamble(R.trackingBookTitle, scope, from, to, ctx.clock.now()))
    await write(out, csvLine(row));
  await write(out, csvLine(BOOK_HEADER));
  let n = 0;
  // One write per page of rows, not per row: each write is a chunk through the HTTP stream.
  for await (const page of encodedBookPages(ctx, scope, window, {
    task: 'encodeBookCsv',
    encode: encodeBookCsv,
    input: (firstN, officeName) => ({ firstN, officeName }),
  })) {
    n += page.count;
    if (typeof page.bytes !== 'string' && !(page.bytes instanceof Uint8Array))
      throw new Error('a CSV page came back deflated');
    await write(out, page.bytes);
  }
  out.end();
  return n;
}

/** Streams the tracking book as XLSX (one sheet, rows written as they are read; see XlsxSheetWriter). */
export async function writeTrackingBookXlsx(
  ctx: AppContext,
  out: Writable,
  scope: ReportScope,
  from: string,
  to: string,
  window: { startIso: string; endIso: string },
): Promise<number> {
  const widths = [
    6, 28, 14, 40, 7, 24, 15, 36, 13, 28, 17, 17, 17, 17, 17, 17, 22, 12, 22, 30, 16, 14,
  ];
  // Columns 10-15 (received … closed) carry the stored instants: date-time cells, read as text.
  const instant = (i: number) => i >= 10 && i <= 15;
  // The procedure (code, name), the office, the status, the outcome and the vehicle's kind: few
  // distinct values, known before the rows are, written once in the shared string table.
  const shared = new Set([2, 3, 9, 16, 17, 20]);
  // Excel dates carry no zone: cells show Vietnam's wall-clock time.
  const columns = widths.map((width, i) => ({ width, instant: instant(i), shared: shared.has(i) }));
  const procedures = await procedureNames(ctx);
  const sheet = await XlsxSheetWriter.open(out, R.trackingBookTitle, columns, {
    utcOffsetMinutes: VIETNAM_OFFSET_MINUTES,
    now: ctx.clock.now(),
    sharedStrings: sharedStringTable([
      ...scope.offices.map((o) => o.name),
      ...procedures.flatMap((p) => [p.code, p.name]),
      ...Object.values(vi.dossiers.status),
      ...Object.values(vi.dossiers.outcome),
      ...Object.values(vi.dossiers.vehicleKind),
    ]),
  });
  for (const values of exportPreamble(R.trackingBookTitle, scope, from, to, ctx.clock.now()))
    await sheet.addRow(values as XlsxCell[], { bold: values.length === 1 });
  await sheet.addRow(BOOK_HEADER, { bold: true });
  let n = 0;
  // The data rows follow the preamble and the header: row (rows so far) + n.
  const rowsBefore = sheet.nextRowNumber - 1;
  const layout = sheet.layout;
  for await (const page of encodedBookPages(ctx, scope, window, {
    task: 'encodeBookXlsx',
    encode: encodeBookXlsx,
    input: (firstN, officeName) => ({ firstN, officeName, firstRow: rowsBefore + firstN, layout }),
    // The workers deflate their pages too: the event loop only writes them.
    deflate: XLSX_DEFLATE_LEVEL,
  })) {
    n += page.count;
    const { bytes } = page;
    if (typeof bytes === 'string')
      await sheet.addEncodedRows(Buffer.from(bytes, 'utf8'), page.count);
    else if (bytes instanceof Uint8Array) await sheet.addEncodedRows(bytes, page.count);
    else await sheet.addDeflatedRows(bytes, page.count);
  }
  await sheet.finish();
  return n;
}
