import { epochDayOf } from './vietnam-time.js';

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

/** What trim() would remove (\s is the same set), tested without making the trimmed copy. */
const EDGE_SPACE = /^\s|\s$/;

const DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/**
 * excelSerial of an ISO-8601 instant as the database stores it (`YYYY-MM-DDTHH:MM:SS.sssZ`), by
 * arithmetic on the text: parsing it into a Date was 7 % of an XLSX export (docs/BENCHMARKS.md).
 * Other forms of an instant go through Date; text that is no instant (or no such day) gives null.
 */
export function excelSerialOfIso(iso: string, offsetMinutes: number): number | null {
  if ((iso.length === 24 || iso.length === 20) && DIGITS.test(iso)) {
    const day = epochDayOf(iso.slice(0, 10));
    const n = (at: number) => (iso.charCodeAt(at) - 48) * 10 + iso.charCodeAt(at + 1) - 48;
    const ms = iso.length === 24 ? Number(iso.slice(20, 23)) : 0;
    const h = n(11);
    const m = n(14);
    const s = n(17);
    if (day !== null && h < 24 && m < 60 && s < 60)
      // The same operations as excelSerial on the same integer milliseconds: the same double.
      return (
        (day * 86_400_000 + (h * 60 + m + offsetMinutes) * 60_000 + s * 1000 + ms) / 86_400_000 +
        25_569
      );
    return null;
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
        `<si><t${EDGE_SPACE.test(text) ? ' xml:space="preserve"' : ''}>${escapeXml(text)}</t></si>`,
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
        const space = EDGE_SPACE.test(v) ? ' xml:space="preserve"' : '';
        xml += `<c${ref} t="inlineStr"${textStyle}><is><t${space}>${escapeXml(v)}</t></is></c>`;
      }
    }
  }
  return `${xml}</row>`;
}
