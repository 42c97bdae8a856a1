import { displayPlate, type VehicleKind } from '../dossiers/record/vehicle-plate.js';
import { csvLine, excelText } from '../lib/csv.js';
import { Utf8Builder } from '../lib/utf8-builder.js';
import { formatDateTime } from '../lib/format.js';
import { xlsxRowLayout, xlsxRowXml, type XlsxCell, type XlsxRowLayout } from '../lib/xlsx-cells.js';
import { vi } from '../locale/vi.js';
import type { TrackingBookRow } from './tracking-book.repository.js';

/**
 * The tracking book's rows as the exports write them: pure functions of the rows read, with no
 * database and no request, so that a read worker thread can run them on the rows it has just
 * read (src/db/sqlite-read-workers.ts, `readAndEncodeOnWorkers`) and hand back bytes, while the
 * event loop serves requests. Without workers the exporters call them on the main thread; the
 * text is the same.
 */

/** The book's note: the officer's, and that the intake was corrected (when it was). */
export function bookNote(note: string, intakeCorrectedAt: string | null): string {
  if (!intakeCorrectedAt) return note;
  const corrected = vi.correction.bookNote(formatDateTime(intakeCorrectedAt));
  return note ? `${note}; ${corrected}` : corrected;
}

export function bookValues<D>(
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

/** Where a page of the book starts: its first row's number in the book, and its office. */
export interface BookPageInput {
  /** The number (STT) of the page's first row, 1-based. */
  firstN: number;
  officeName: string;
}

const asText = (iso: string | null) => (iso ? formatDateTime(iso) : '');

/** A page of the book as CSV lines, UTF-8 encoded (written row by row: see Utf8Builder). */
export function encodeBookCsv(rows: TrackingBookRow[], input: BookPageInput): Uint8Array {
  let n = input.firstN;
  const out = new Utf8Builder(rows.length * 384);
  for (const r of rows)
    out.append(csvLine(bookValues(r, n++, input.officeName, asText, excelText)));
  return out.bytes();
}

export interface BookXlsxPageInput extends BookPageInput {
  /** The sheet row of the page's first row (the preamble and the header come before). */
  firstRow: number;
  layout: XlsxRowLayout;
}

const asInstant = (iso: string | null) => iso;

/**
 * A page of the book as SpreadsheetML rows, UTF-8 encoded (the sheet's columns 10–15 hold
 * instants; written row by row: see Utf8Builder).
 */
export function encodeBookXlsx(rows: TrackingBookRow[], input: BookXlsxPageInput): Uint8Array {
  let n = input.firstN;
  let r = input.firstRow;
  const options = { bold: false, instants: true };
  const out = new Utf8Builder(rows.length * 1024);
  for (const row of rows)
    out.append(
      xlsxRowXml(
        bookValues(row, n++, input.officeName, asInstant) as XlsxCell[],
        r++,
        input.layout,
        options,
      ),
    );
  return out.bytes();
}

// Vietnamese text (any of the locale's), with letters beyond Latin-1 as names and addresses
// have: V8 keeps such strings at two bytes a character and compiles its string code for them
// apart from one-byte strings.
const WIDE = vi.reports.trackingBookTitle;

/** Made-up rows of the book, of every kind a real page has (nulls, quotes, plates, corrections). */
function sampleRows(count: number): TrackingBookRow[] {
  return Array.from({ length: count }, (_, i): TrackingBookRow => [
    i + 1,
    `000.00.13.H40-261201-${String(i).padStart(4, '0')}`,
    '1.001',
    `Procedure ${WIDE}`,
    `Applicant ${WIDE} ${i}`,
    i % 3 ? '001204000123' : null,
    `1 Street ${WIDE}, City`,
    i % 2 ? '0912345678' : null,
    '2026-12-01T02:03:04.000Z',
    '2026-12-08T10:00:00.000Z',
    i % 5 ? null : '2026-12-10T10:00:00.000Z',
    i % 2 ? '2026-12-05T03:00:00.000Z' : null,
    i % 4 ? null : '2026-12-06T03:00:00.000Z',
    null,
    i % 2 ? 'result_ready' : 'processing',
    i % 2 ? 'on_time' : null,
    null,
    i % 7 ? '' : `Note, "quoted" ${WIDE}`,
    i % 6 ? null : 'motorbike',
    i % 6 ? null : '29B112345',
    i % 9 ? null : '2026-12-02T02:00:00.000Z',
  ]);
}

/**
 * Runs both encoders on made-up rows, so that a read worker's first export does not run them
 * cold: a new thread interprets the code until V8 has compiled it, and the first export of a
 * small book took twice as long as the next ones (docs/BENCHMARKS.md). A read worker calls it
 * when it loads this module as the server starts; the text made is dropped.
 */
export function warmUp(): void {
  const rows = sampleRows(250);
  // With a shared string table, as the export has (its code path is the one to warm up).
  const layout = xlsxRowLayout(
    Array.from({ length: 22 }, (_, i) => ({
      width: 10,
      instant: i >= 10 && i <= 15,
      shared: [2, 3, 9, 16, 17, 20].includes(i),
    })),
    7 * 60,
    ['1.001', `Procedure ${WIDE}`, `Office ${WIDE}`, ...Object.values(vi.dossiers.status)],
  );
  for (let round = 0; round < 8; round++) {
    encodeBookCsv(rows, { firstN: 1, officeName: `Office ${WIDE}` });
    encodeBookXlsx(rows, { firstN: 1, officeName: `Office ${WIDE}`, firstRow: 9, layout });
  }
}
