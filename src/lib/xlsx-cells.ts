import { daysFromCivil } from './vietnam-time.js';

/**
 * The cells of a SpreadsheetML sheet as text: pure functions, with no stream and no ZIP, so that
 * a sheet's rows can be written on another thread (the tracking book's pages are written on the
 * read workers) and added to the sheet as bytes (XlsxSheetWriter.addEncodedRows).
 */
export type XlsxCell = string | number | Date | null | undefined;

export interface XlsxColumn {
  width: number;
  /** In rows added with addRecords, a string in this column is an ISO-8601 instant (a date-time cell). */
  instant?: boolean;
  /**
   * A column of few distinct values (an office, a procedure, a status): a string in it that is in
   * the sheet's shared strings is written as a reference to it (see xlsxRowLayout).
   */
  shared?: boolean;
}

export const STYLE_DATE_TIME = 1;
export const STYLE_BOLD = 2;

/** Characters XML 1.0 cannot carry at all (controls other than tab and line ends, lone surrogates, U+FFFE/F). */
/* eslint-disable no-control-regex -- these control characters are what the patterns find */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** Anything escapeXml would change; most cells have none, and one test is cheaper than two replaces. */
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/* eslint-enable no-control-regex */

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NOT_XML, '').replace(XML_SPECIAL, (c) => XML_ENTITY[c]!);
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * Excel's serial date for the wall-clock time the instant shows at `offsetMinutes` from UTC
 * (Excel dates carry no zone): days since 1899-12-30.
 */
export function excelSerial(instant: Date, offsetMinutes: number): number {
  return (instant.getTime() + offsetMinutes * 60_000) / 86_400_000 + 25_569;
}

/**
 * Whether the text starts or ends with what trim() would remove (JavaScript's white space and
 * line terminators, the set of \s), by the two code units alone: a regular expression per cell
 * was 4 % of a tracking-book page's SpreadsheetML (docs/BENCHMARKS.md).
 */
export function hasEdgeSpace(text: string): boolean {
  return (
    text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)))
  );
}

function isSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The number written by `count` ASCII digits of the text from `at`, or -1 if one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * excelSerial of an ISO-8601 instant as the database stores it (`YYYY-MM-DDTHH:MM:SS.sssZ`, or
 * without the milliseconds), by arithmetic on the text's code units: parsing it into a Date was
 * 7 % of an XLSX export, and a regular expression with a cached day lookup still 15 % of a
 * page's SpreadsheetML (docs/BENCHMARKS.md). Other forms of an instant go through Date; text
 * that is no instant (or no such day) gives null.
 */
export function excelSerialOfIso(iso: string, offsetMinutes: number): number | null {
  const length = iso.length;
  if (
    (length === 24 || length === 20) &&
    iso.charCodeAt(4) === 45 && // -
    iso.charCodeAt(7) === 45 &&
    iso.charCodeAt(10) === 84 && // T
    iso.charCodeAt(13) === 58 && // :
    iso.charCodeAt(16) === 58 &&
    iso.charCodeAt(length - 1) === 90 && // Z
    (length === 20 || iso.charCodeAt(19) === 46) // .
  ) {
    const y = digitsAt(iso, 0, 4);
    const mo = digitsAt(iso, 5, 2);
    const d = digitsAt(iso, 8, 2);
    const h = digitsAt(iso, 11, 2);
    const m = digitsAt(iso, 14, 2);
    const s = digitsAt(iso, 17, 2);
    const ms = length === 24 ? digitsAt(iso, 20, 3) : 0;
    // A character that is no digit: not the stored form after all (Date decides, below).
    if ((y | mo | d | h | m | s | ms) >= 0) {
      const day = daysFromCivil(y, mo, d);
      if (day === null || h > 23 || m > 59 || s > 59) return null;
      // The same operations as excelSerial on the same integer milliseconds: the same double.
      return (
        (day * 86_400_000 + (h * 60 + m + offsetMinutes) * 60_000 + s * 1000 + ms) / 86_400_000 +
        25_569
      );
    }
  }
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : excelSerial(at, offsetMinutes);
}

/**
 * What xlsxRowXml needs of a sheet: its columns' letters, which hold instants, the zone, and the
 * sheet's shared strings (each string's index) with the columns that use them.
 */
export interface XlsxRowLayout {
  letters: string[];
  instants: boolean[];
  offsetMinutes: number;
  shared: boolean[];
  sharedIndex: Map<string, number>;
}

/**
 * The layout of a sheet with these columns. `sharedStrings` are the sheet's shared string table
 * (its part xl/sharedStrings.xml, in this order): values known before the rows are (office and
 * procedure names, status labels). A cell of a `shared` column whose text is one of them is a
 * reference (`<c t="s"><v>3</v></c>`) instead of the text inline: a tracking-book row is about a
 * fifth shorter, which is text the export neither encodes nor deflates (docs/BENCHMARKS.md).
 */
export function xlsxRowLayout(
  columns: XlsxColumn[],
  offsetMinutes: number,
  sharedStrings: readonly string[] = [],
): XlsxRowLayout {
  return {
    letters: columns.map((_, i) => columnLetters(i)),
    instants: columns.map((c) => c.instant === true),
    offsetMinutes,
    shared: columns.map((c) => c.shared === true && sharedStrings.length > 0),
    sharedIndex: new Map(sharedStrings.map((text, i) => [text, i])),
  };
}

/** The shared strings part (xl/sharedStrings.xml) of these strings, in their order. */
export function sharedStringsXml(strings: readonly string[]): string {
  const items = strings
    .map(
      (text) =>
        `<si><t${hasEdgeSpace(text) ? ' xml:space="preserve"' : ''}>${escapeXml(text)}</t></si>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${strings.length}">${items}</sst>`
  );
}

/** A shared string table of these values: each non-empty one once, in first-seen order. */
export function sharedStringTable(values: Iterable<string | null | undefined>): string[] {
  const table = new Set<string>();
  for (const v of values) if (v) table.add(v);
  return [...table];
}

/**
 * One row of the sheet as SpreadsheetML: dates become date-time cells, numbers numbers,
 * everything else inline text; with `instants`, a string in a column of the layout declared
 * `instant` is an ISO-8601 instant, written as a date-time cell.
 */
export function xlsxRowXml(
  values: XlsxCell[],
  r: number,
  layout: XlsxRowLayout,
  options: { bold: boolean; instants: boolean },
): string {
  const textStyle = options.bold ? ` s="${STYLE_BOLD}"` : '';
  let xml = `<row r="${r}">`;
  // Every cell carries its reference: optional in the standard, but exceljs (our own import
  // reads these files back) fails without it.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '') continue;
    const ref = ` r="${layout.letters[i] ?? columnLetters(i)}${r}"`;
    if (typeof v === 'number') xml += `<c${ref}${textStyle}><v>${v}</v></c>`;
    else if (v instanceof Date)
      xml += `<c${ref} s="${STYLE_DATE_TIME}"><v>${excelSerial(v, layout.offsetMinutes)}</v></c>`;
    else {
      const serial =
        options.instants && layout.instants[i] ? excelSerialOfIso(v, layout.offsetMinutes) : null;
      const shared = serial === null && layout.shared[i] ? layout.sharedIndex.get(v) : undefined;
      if (serial !== null) xml += `<c${ref} s="${STYLE_DATE_TIME}"><v>${serial}</v></c>`;
      else if (shared !== undefined) xml += `<c${ref} t="s"${textStyle}><v>${shared}</v></c>`;
      else {
        const space = hasEdgeSpace(v) ? ' xml:space="preserve"' : '';
        xml += `<c${ref} t="inlineStr"${textStyle}><is><t${space}>${escapeXml(v)}</t></is></c>`;
      }
    }
  }
  return `${xml}</row>`;
}
