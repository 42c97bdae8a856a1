/**
 * CSV as Excel reads it: UTF-8 with a byte-order mark (without it Excel guesses a legacy code
 * page and garbles Vietnamese), CRLF line ends, RFC 4180 quoting.
 */
export const UTF8_BOM = '\uFEFF';

/** Cells that Excel would run as formulas get a leading apostrophe (CSV injection). */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * A cell Excel must keep as text: digit strings with a leading zero (ID numbers, phones) would
 * otherwise become numbers and lose it. Written as the formula `="…"`, which Excel shows as the
 * text; digits only, so nothing else can run. The tracking-book import reads it back.
 */
export class ExcelText {
  constructor(readonly text: string) {}
}

export function excelText(value: string | null): ExcelText | null {
  return value === null ? null : new ExcelText(value);
}

/** A text cell that needs neither quotes nor the formula guard (most cells): one scan, not two. */
const PLAIN = /^(?![=+\-@\t\r])[^",\r\n]*$/;

export function csvCell(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) ? value : quoted(defuse(value));
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  if (value instanceof ExcelText)
    return /^[0-9+ ]+$/.test(value.text) ? `"=""${value.text}"""` : csvCell(value.text);
  return csvCell(String(value));
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
