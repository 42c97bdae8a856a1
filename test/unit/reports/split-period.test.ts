import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../src/lib/vietnam-time.js';
import { splitPeriod } from '../../../src/reports/report-tally.js';

describe('splitPeriod', () => {
  it('reads whole months from the monthly table and the edges from the daily one', () => {
    expect(splitPeriod('2026-11-01', '2026-11-30')).toEqual({
      dayRanges: [],
      months: ['2026-11', '2026-11'],
    });
    expect(splitPeriod('2026-11-15', '2026-11-30')).toEqual({
      dayRanges: [['2026-11-15', '2026-11-30']],
      months: null,
    });
    expect(splitPeriod('2026-11-01', '2026-11-28')).toEqual({
      dayRanges: [['2026-11-01', '2026-11-28']],
      months: null,
    });
    expect(splitPeriod('2025-11-29', '2026-11-28')).toEqual({
      dayRanges: [
        ['2025-11-29', '2025-11-30'],
        ['2026-11-01', '2026-11-28'],
      ],
      months: ['2025-12', '2026-10'],
    });
    expect(splitPeriod('2024-02-01', '2024-02-29')).toEqual({
      dayRanges: [],
      months: ['2024-02', '2024-02'],
    }); // leap year
    expect(splitPeriod('2026-01-31', '2026-03-01')).toEqual({
      dayRanges: [
        ['2026-01-31', '2026-01-31'],
        ['2026-03-01', '2026-03-01'],
      ],
      months: ['2026-02', '2026-02'],
    });
  });

  it('covers every day of the period exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 800 }),
        (start, length) => {
          const from = addDays('2024-01-01', start);
          const to = addDays(from, length);
          const { dayRanges, months } = splitPeriod(from, to);
          const covered: string[] = [];
          for (const [a, b] of dayRanges)
            for (let i = 0; i <= daysBetween(a, b); i++) covered.push(addDays(a, i));
          if (months) {
            for (let d = `${months[0]}-01`; d.slice(0, 7) <= months[1]; d = addDays(d, 1))
              covered.push(d);
          }
          covered.sort();
          expect(covered.length).toBe(length + 1);
          expect(covered[0]).toBe(from);
          expect(covered.at(-1)).toBe(to);
          expect(new Set(covered).size).toBe(covered.length);
        },
      ),
    );
  });
});
