import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../src/lib/vietnam-time.js';
import { splitPeriod } from '../../../src/reports/report-tally.js';

describe('splitPeriod', () => {
  it('reads whole months from the monthly table and the edges from the daily one', () => {
    expect(splitPeriod('2026-11-01', '2026-11-30')).toEqual({
      dayRanges: [],
      months: ['2026-11', '2026-11'],
      minusRanges: [],
    });
    expect(splitPeriod('2026-11-20', '2026-11-30')).toEqual({
      dayRanges: [['2026-11-20', '2026-11-30']],
      months: null,
      minusRanges: [],
    });
    expect(splitPeriod('2024-02-01', '2024-02-29')).toEqual({
      dayRanges: [],
      months: ['2024-02', '2024-02'],
      minusRanges: [],
    }); // leap year
    expect(splitPeriod('2026-01-31', '2026-03-01')).toEqual({
      dayRanges: [
        ['2026-01-31', '2026-01-31'],
        ['2026-03-01', '2026-03-01'],
      ],
      months: ['2026-02', '2026-02'],
      minusRanges: [],
    });
  });

  it('reads a month the period mostly covers whole, less its days outside the period', () => {
    // Last month's report compares with the 30 days before it: October less its first day.
    expect(splitPeriod('2026-10-02', '2026-10-31')).toEqual({
      dayRanges: [],
      months: ['2026-10', '2026-10'],
      minusRanges: [['2026-10-01', '2026-10-01']],
    });
    expect(splitPeriod('2026-11-01', '2026-11-28')).toEqual({
      dayRanges: [],
      months: ['2026-11', '2026-11'],
      minusRanges: [['2026-11-29', '2026-11-30']],
    });
    expect(splitPeriod('2026-11-05', '2026-11-25')).toEqual({
      dayRanges: [],
      months: ['2026-11', '2026-11'],
      minusRanges: [
        ['2026-11-01', '2026-11-04'],
        ['2026-11-26', '2026-11-30'],
      ],
    });
    expect(splitPeriod('2025-11-29', '2026-11-28')).toEqual({
      dayRanges: [['2025-11-29', '2025-11-30']],
      months: ['2025-12', '2026-11'],
      minusRanges: [['2026-11-29', '2026-11-30']],
    });
  });

  it('counts every day of the period exactly once and no other day, with fewer daily rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 800 }),
        (start, length) => {
          const from = addDays('2024-01-01', start);
          const to = addDays(from, length);
          const { dayRanges, months, minusRanges } = splitPeriod(from, to);
          const times = new Map<string, number>();
          const count = (a: string, b: string, sign: number) => {
            for (let i = 0; i <= daysBetween(a, b); i++) {
              const d = addDays(a, i);
              times.set(d, (times.get(d) ?? 0) + sign);
            }
          };
          for (const [a, b] of dayRanges) count(a, b, 1);
          if (months)
            count(
              `${months[0]}-01`,
              addDays(`${addDays(`${months[1]}-28`, 4).slice(0, 7)}-01`, -1),
              1,
            );
          for (const [a, b] of minusRanges) count(a, b, -1);
          for (const [day, n] of times)
            expect([day, n]).toEqual([day, day >= from && day <= to ? 1 : 0]);
          expect([...times.values()].reduce((a, b) => a + b, 0)).toBe(length + 1);
          // Never more daily rows than reading the partial months' days directly.
          const daily = [...dayRanges, ...minusRanges].reduce(
            (n, [a, b]) => n + daysBetween(a, b) + 1,
            0,
          );
          expect(daily).toBeLessThanOrEqual(Math.min(length + 1, 62));
        },
      ),
    );
  });
});
