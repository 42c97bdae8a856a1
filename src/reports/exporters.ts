import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AppContext } from '../context.js';
import { displayPlate, type VehicleKind } from '../dossiers/index.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { writeWithBackpressure as write } from '../lib/streams.js';
import { VIETNAM_OFFSET_MINUTES } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { csvLine, excelText, UTF8_BOM } from '../lib/csv.js';
import { COUNT_KEYS } from './report-tally.js';
import {
  BOOK_RECEIVED_AT,
  findTrackingBookPage,
  type TrackingBookRow,
} from './tracking-book.repository.js';
import { XlsxSheetWriter, type XlsxCell } from '../lib/xlsx-sheet-writer.js';
import type { Report, ReportScope } from './reports.service.js';
import type { ReportSection, ReportValue } from './extensions.js';

const PAGE = 1000;

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
 * Pages through the tracking book office by office, in receipt order; each page is one short
 * query. Pages, not rows, are yielded: a promise per row was a measurable share of an export.
 */
async function* trackingBookPages(
  ctx: AppContext,
  scope: ReportScope,
  startIso: string,
  endIso: string,
): AsyncGenerator<{ officeName: string; rows: TrackingBookRow[] }> {
  for (const officeId of scope.officeIds) {
    const officeName = scope.offices.find((o) => o.id === officeId)?.name ?? '';
    let after: { at: string; id: number } | null = null;
    for (;;) {
      const rows = await findTrackingBookPage(
        ctx.reportDb,
        ctx.sqlite,
        officeId,
        startIso,
        endIso,
        after,
        PAGE,
      );
      if (rows.length) yield { officeName, rows };
      if (rows.length < PAGE) break;
      const last = rows.at(-1)!;
      after = { at: last[BOOK_RECEIVED_AT], id: last[0] };
    }
  }
}

/** The book's note: the officer's, and that the intake was corrected (when it was). */
export function bookNote(note: string, intakeCorrectedAt: string | null): string {
  if (!intakeCorrectedAt) return note;
  const corrected = vi.correction.bookNote(formatDateTime(intakeCorrectedAt));
  return note ? `${note}; ${corrected}` : corrected;
}

function bookValues<D>(
  r: TrackingBookRow,
  n: number,
  officeName: string,
  asDate: (iso: string | null) => D,
  asText: (digits: string | null) => unknown = (v) => v,
) {
  const [
    ,
    code,
    procedureCode,
    procedureName,
    applicantName,
    personalId,
    address,
    phone,
    receivedAt,
    dueAt,
    rescheduledDueAt,
    resultAt,
    returnedAt,
    closedAt,
    status,
    outcome,
    returnedTo,
    note,
    vehicleKind,
    vehicleId,
    intakeCorrectedAt,
  ] = r;
  return [
    n,
    code,
    procedureCode,
    procedureName,
    1,
    applicantName,
    asText(personalId),
    address,
    asText(phone),
    officeName,
    asDate(receivedAt),
    asDate(dueAt),
    asDate(rescheduledDueAt),
    asDate(resultAt),
    asDate(returnedAt),
    asDate(closedAt),
    vi.dossiers.status[status] ?? status,
    outcome ? vi.dossiers.outcome[outcome] : '',
    returnedTo ?? '',
    bookNote(note, intakeCorrectedAt),
    vehicleKind ? (vi.dossiers.vehicleKind[vehicleKind] ?? vehicleKind) : '',
    displayPlate(vehicleId, (vehicleKind as VehicleKind | null) ?? null),
  ];
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
  const asText = (iso: string | null) => (iso ? formatDateTime(iso) : '');
  // One write per page of rows, not per row: each write is a chunk through the HTTP stream.
  for await (const { officeName, rows } of trackingBookPages(
    ctx,
    scope,
    window.startIso,
    window.endIso,
  )) {
    // Joined, not concatenated: encoding a long concatenated string first copies it flat.
    await write(
      out,
      rows.map((r) => csvLine(bookValues(r, ++n, officeName, asText, excelText))).join(''),
    );
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
  // Excel dates carry no zone: cells show Vietnam's wall-clock time.
  const sheet = await XlsxSheetWriter.open(
    out,
    R.trackingBookTitle,
    widths.map((width, i) => ({ width, instant: instant(i) })),
    { utcOffsetMinutes: VIETNAM_OFFSET_MINUTES, now: ctx.clock.now() },
  );
  for (const values of exportPreamble(R.trackingBookTitle, scope, from, to, ctx.clock.now()))
    await sheet.addRow(values as XlsxCell[], { bold: values.length === 1 });
  await sheet.addRow(BOOK_HEADER, { bold: true });
  let n = 0;
  const asInstant = (iso: string | null) => iso;
  for await (const { officeName, rows } of trackingBookPages(
    ctx,
    scope,
    window.startIso,
    window.endIso,
  )) {
    await sheet.addRecords(
      rows.map((r) => bookValues(r, ++n, officeName, asInstant) as XlsxCell[]),
    );
  }
  await sheet.finish();
  return n;
}
