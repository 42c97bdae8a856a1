/**
 * CSV as Excel reads it: UTF-8 with a byte-order mark (without it Excel guesses a legacy code
 * page and garbles Vietnamese), CRLF line ends, RFC 4180 quoting.
 */
export const UTF8_BOM = '\uFEFF';

/** Cells that Excel would run as formulas get a leading apostrophe (CSV injection). */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : defuse(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
