import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../src/lib/vietnam-time.js';
import { previousPeriod } from '../../../src/reports/previous-period.js';

/** Issue 28, item 16: a report compares a calendar period with the previous one of its kind. */
describe('the period a report compares itself with', () => {
  it.each([
    ['a month', '2026-12-01', '2026-12-31', '2026-11-01', '2026-11-30'],
    ['March (a short February before)', '2026-03-01', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['January', '2027-01-01', '2027-01-31', '2026-12-01', '2026-12-31'],
    ['a quarter', '2026-10-01', '2026-12-31', '2026-07-01', '2026-09-30'],
    ['Q1', '2026-01-01', '2026-03-31', '2025-10-01', '2025-12-31'],
    ['a year', '2026-01-01', '2026-12-31', '2025-01-01', '2025-12-31'],
    ['a leap February', '2028-03-01', '2028-03-31', '2028-02-01', '2028-02-29'],
    ['a week', '2026-12-07', '2026-12-13', '2026-11-30', '2026-12-06'],
    ['part of a month', '2026-12-01', '2026-12-15', '2026-11-16', '2026-11-30'],
  ])('%s: %s–%s compares with %s–%s', (_, from, to, prevFrom, prevTo) => {
    expect(previousPeriod({ from, to })).toEqual({ from: prevFrom, to: prevTo });
  });

  it('always ends the day before the period starts and never overlaps it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 400 }),
        (start, length) => {
          const from = addDays('2020-01-01', start);
          const to = addDays(from, length);
          const prev = previousPeriod({ from, to });
          expect(prev.to).toBe(addDays(from, -1));
          expect(daysBetween(prev.from, prev.to)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
