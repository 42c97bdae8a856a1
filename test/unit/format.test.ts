import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDateTime,
  formatDecimal,
  formatPercent,
  formatSeconds,
  storedInstantHour,
} from '../../src/lib/format.js';
import { localDateOf, localTimeOf } from '../../src/lib/vietnam-time.js';

describe('storedInstantHour', () => {
  // What it replaced: the stored form by a regular expression.
  const STORED = /^\d{4}-\d{2}-\d{2}T(\d{2}):\d{2}:\d{2}(\.\d+)?Z$/;
  const byRegex = (text: string) => {
    const m = STORED.exec(text);
    return m ? Number(m[1]) : -1;
  };

  it('reads the hour of exactly the text the regular expression took, edited anywhere', () => {
    const stored = fc
      .tuple(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.string({ unit: fc.constantFrom('0', '1', '9'), maxLength: 7 }),
      )
      .map(([d, fraction]) => `${d.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`);
    const edit = fc.tuple(
      stored,
      fc.nat(30),
      fc.constantFrom('0', '5', '-', ':', 'T', 'Z', '.', 'x', ' ', '٣', '/', ''),
      fc.boolean(),
    );
    fc.assert(
      fc.property(edit, ([text, at, c, insert]) => {
        const edited = text.slice(0, at) + c + text.slice(insert ? at : at + 1);
        expect(storedInstantHour(text)).toBe(byRegex(text));
        expect(storedInstantHour(edited)).toBe(byRegex(edited));
      }),
      { numRuns: 20_000 },
    );
    for (const text of [
      '',
      'Z',
      '2026-03-09T16:59:59.Z',
      '2026-03-09T16:59:59Z ',
      '2026-03-09 16:59:59Z',
    ])
      expect(storedInstantHour(text)).toBe(byRegex(text));
    expect(storedInstantHour('2026-03-09T16:59:59.999Z')).toBe(16);
  });
});

describe('formatDateTime', () => {
  it('writes Vietnam wall-clock time, across the 17:00 UTC day boundary and month and year ends', () => {
    expect(formatDateTime('2026-03-09T16:59:59.999Z')).toBe('23:59 09/03/2026');
    expect(formatDateTime('2026-03-09T17:00:00.000Z')).toBe('00:00 10/03/2026');
    expect(formatDateTime('2026-02-28T17:30:00Z')).toBe('00:30 01/03/2026');
    expect(formatDateTime('2025-12-31T18:00:00.000Z')).toBe('01:00 01/01/2026');
    expect(formatDateTime('2026-01-01T02:05:00.000Z')).toBe('09:05 01/01/2026');
    expect(formatDateTime(new Date('2026-01-01T02:05:00.000Z'))).toBe('09:05 01/01/2026');
    expect(formatDateTime(null)).toBe('—');
  });

  it('gives, for stored instants, what the Date-based conversion gives', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (d, withMillis) => {
          const iso = withMillis ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
          const [y, m, day] = localDateOf(d).split('-');
          expect(formatDateTime(iso)).toBe(`${localTimeOf(d)} ${day}/${m}/${y}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formatSeconds (the sync lag on the report page)', () => {
  it('reads as a person says it: the unit grows with the value, one decimal below ten', () => {
    expect(formatSeconds(6.5)).toBe('6,5 giây');
    expect(formatSeconds(24)).toBe('24 giây');
    expect(formatSeconds(119)).toBe('119 giây');
    expect(formatSeconds(150)).toBe('2,5 phút');
    expect(formatSeconds(2_280)).toBe('38 phút');
    expect(formatSeconds(136_623.3)).toBe('38 giờ');
    expect(formatSeconds(236_973.3)).toBe('2,7 ngày');
  });
});

describe('formatPercent and formatCount', () => {
  it('write shares and counts the Vietnamese way, each share with its own digits', () => {
    expect(formatPercent(1 / 3)).toBe('33,3 %');
    expect(formatPercent(0.5, 0)).toBe('50 %');
    expect(formatPercent(1 / 3, 2)).toBe('33,33 %');
    // The formatter of one number of digits never serves another.
    expect(formatPercent(0.125, 0)).toBe('13 %');
    expect(formatPercent(0.125)).toBe('12,5 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatCount(1234567)).toBe('1.234.567');
    expect(formatCount(0)).toBe('0');
  });

  it('write a count as Intl does, small counts included (they skip it)', () => {
    const intl = new Intl.NumberFormat('vi-VN');
    for (const n of [0, 1, 999, 1000, 1001, -1, -999, 0.5, 999.5, -0, 12345678])
      expect(formatCount(n)).toBe(intl.format(n));
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: true })), (n) => {
        expect(formatCount(n)).toBe(intl.format(n));
      }),
    );
  });
});

describe('formatDecimal', () => {
  it('keeps at most the digits asked, with the Vietnamese separators', () => {
    expect(formatDecimal(1234.5678, 2)).toBe('1.234,57');
    expect(formatDecimal(2.5, 1)).toBe('2,5');
    expect(formatDecimal(3, 2)).toBe('3');
    expect(formatDecimal(1234.5678, 1)).toBe('1.234,6');
    expect(formatDecimal(null, 2)).toBe('—');
    expect(formatDecimal(undefined, 2)).toBe('—');
  });
});
