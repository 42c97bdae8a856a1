import type { Writable } from 'node:stream';
import { epochDayOf } from './vietnam-time.js';
import { ZipWriter } from './zip-writer.js';

/**
 * A one-sheet XLSX written as a stream, for exports of a hundred thousand rows and more.
 *
 * exceljs' streaming writer builds a cell object model per row (~80 µs a row, 12k rows/s and
 * 340 MB peak on the benchmark); this writer emits the SpreadsheetML row text directly
 * (ECMA-376: inline strings, numbers, dates as serial numbers with one date style, a bold style
 * for headings) into a streaming ZIP (zip-writer.ts). The small summary export still uses exceljs,
 * and exceljs reads these files back in the tests and in the tracking-book import.
 */
export type XlsxCell = string | number | Date | null | undefined;

export interface XlsxColumn {
  width: number;
  /** In rows added with addRecords, a string in this column is an ISO-8601 instant (a date-time cell). */
  instant?: boolean;
}

const STYLE_DATE_TIME = 1;
const STYLE_BOLD = 2;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const workbookXml = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

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

export class XlsxSheetWriter {
  readonly #zip: ZipWriter;
  readonly #letters: string[];
  readonly #instants: boolean[];
  readonly #offsetMinutes: number;
  #rowNumber = 0;
  /** Rows are UTF-8 encoded into this buffer one by one (a megabyte-long concatenated string cost more to encode than the rest of the export). */
  #bytes = Buffer.allocUnsafe(1 << 20);
  #used = 0;

  private constructor(zip: ZipWriter, columns: XlsxColumn[], offsetMinutes: number) {
    this.#zip = zip;
    this.#offsetMinutes = offsetMinutes;
    this.#letters = columns.map((_, i) => columnLetters(i));
    this.#instants = columns.map((c) => c.instant === true);
  }

  /** Writes the workbook's fixed parts and opens the sheet; `now` stamps the ZIP entries. */
  static async open(
    out: Writable,
    sheetName: string,
    columns: XlsxColumn[],
    options: { utcOffsetMinutes: number; now: Date },
  ): Promise<XlsxSheetWriter> {
    // Level 1: the rows are repetitive text that compresses well even at the fastest level.
    const zip = new ZipWriter(out, {
      level: 1,
      wallClock: new Date(options.now.getTime() + options.utcOffsetMinutes * 60_000),
    });
    for (const [name, content] of [
      ['[Content_Types].xml', CONTENT_TYPES],
      ['_rels/.rels', ROOT_RELS],
      ['xl/workbook.xml', workbookXml(sheetName)],
      ['xl/_rels/workbook.xml.rels', WORKBOOK_RELS],
      ['xl/styles.xml', STYLES],
    ] as const) {
      await zip.begin(name);
      await zip.write(content);
    }
    await zip.begin('xl/worksheets/sheet1.xml');
    const writer = new XlsxSheetWriter(zip, columns, options.utcOffsetMinutes);
    const cols = columns
      .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`)
      .join('');
    await writer.#append(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        `${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`,
    );
    return writer;
  }

  /** Adds a row; dates become date-time cells, numbers numbers, everything else inline text. */
  async addRow(values: XlsxCell[], options: { bold?: boolean } = {}): Promise<void> {
    await this.#append(this.#rowXml(values, options.bold === true, false));
  }

  /**
   * Adds data rows as addRow does, except that a string in a column declared `instant` is an
   * ISO-8601 instant, written as a date-time cell (no Date made per cell); one call per page of
   * rows (a promise per row was a measurable share of an export).
   */
  async addRecords(rows: XlsxCell[][]): Promise<void> {
    for (const values of rows) {
      const flushing = this.#append(this.#rowXml(values, false, true));
      if (flushing) await flushing;
    }
  }

  #rowXml(values: XlsxCell[], bold: boolean, instants: boolean): string {
    const r = ++this.#rowNumber;
    const textStyle = bold ? ` s="${STYLE_BOLD}"` : '';
    let xml = `<row r="${r}">`;
    // Every cell carries its reference: optional in the standard, but exceljs (our own import
    // reads these files back) fails without it.
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || v === '') continue;
      const ref = ` r="${this.#letters[i] ?? columnLetters(i)}${r}"`;
      if (typeof v === 'number') xml += `<c${ref}${textStyle}><v>${v}</v></c>`;
      else if (v instanceof Date)
        xml += `<c${ref} s="${STYLE_DATE_TIME}"><v>${excelSerial(v, this.#offsetMinutes)}</v></c>`;
      else {
        const serial =
          instants && this.#instants[i] ? excelSerialOfIso(v, this.#offsetMinutes) : null;
        if (serial !== null) xml += `<c${ref} s="${STYLE_DATE_TIME}"><v>${serial}</v></c>`;
        else {
          const space = EDGE_SPACE.test(v) ? ' xml:space="preserve"' : '';
          xml += `<c${ref} t="inlineStr"${textStyle}><is><t${space}>${escapeXml(v)}</t></is></c>`;
        }
      }
    }
    return `${xml}</row>`;
  }

  /** Appends without a promise while the buffer has room (most rows). */
  #append(text: string): Promise<void> | void {
    if (this.#used + text.length * 3 > this.#bytes.length) return this.#appendAfterFlush(text);
    this.#used += this.#bytes.write(text, this.#used, 'utf8');
  }

  async #appendAfterFlush(text: string): Promise<void> {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    await this.#flush();
    if (text.length * 3 > this.#bytes.length) this.#bytes = Buffer.allocUnsafe(text.length * 3);
    this.#used += this.#bytes.write(text, this.#used, 'utf8');
  }

  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    // The ZIP writer compresses the bytes before it returns, so the buffer can be reused.
    await this.#zip.write(this.#bytes.subarray(0, this.#used));
    this.#used = 0;
  }

  /** Closes the sheet and the ZIP, and ends the output stream. */
  async finish(): Promise<void> {
    await this.#append('</sheetData></worksheet>');
    await this.#flush();
    await this.#zip.finish();
  }
}
