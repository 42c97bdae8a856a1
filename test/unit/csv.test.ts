import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, excelText } from '../../src/lib/csv.js';

/** The rule as first written (two scans per cell): the fast path must give the same text. */
function reference(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'number'
      ? String(value)
      : /^[=+\-@\t\r]/.test(String(value))
        ? `'${String(value)}`
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

describe('csvCell', () => {
  it('quotes what must be quoted and guards what Excel would run', () => {
    expect(csvCell('Nguyễn Văn An')).toBe('Nguyễn Văn An');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('nói "không"')).toBe('"nói ""không"""');
    expect(csvCell('dòng 1\r\ndòng 2')).toBe('"dòng 1\r\ndòng 2"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+84 912')).toBe("'+84 912");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell(true)).toBe('true');
  });

  it('keeps digit strings as text for Excel, and anything else as a plain cell', () => {
    expect(csvCell(excelText('001204000123'))).toBe('"=""001204000123"""');
    expect(csvCell(excelText('+84 912 345 678'))).toBe('"=""+84 912 345 678"""');
    expect(csvCell(excelText('=1+1'))).toBe("'=1+1");
    expect(csvCell(excelText(null))).toBe('');
  });

  it('gives the same text as the two-scan rule for any string', () => {
    const alphabet = fc.constantFrom(...'aZ0 ,"=+-@\t\r\n\'ễđ;'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        expect(csvCell(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('joins a line with commas and ends it with CRLF', () => {
    expect(csvLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});
