import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, daysBetween } from '../../src/lib/vietnam-time.js';

/** What the calendar arithmetic must agree with: JavaScript's own UTC dates. */
const viaDate = {
  addDays(date: string, days: number) {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  },
  dayOfWeek: (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(),
};

/** Every day from 1899-12-01 to 2101-01-31, in order. */
function* everyDay() {
  const end = Date.parse('2101-01-31T00:00:00Z');
  for (let t = Date.parse('1899-12-01T00:00:00Z'); t <= end; t += 86_400_000)
    yield new Date(t).toISOString().slice(0, 10);
}

describe('calendar arithmetic on YYYY-MM-DD', () => {
  it('agrees with UTC dates on every day of two centuries, leap days and year ends included', () => {
    let checked = 0;
    for (const day of everyDay()) {
      expect(dayOfWeek(day)).toBe(viaDate.dayOfWeek(day));
      expect(addDays(day, 1)).toBe(viaDate.addDays(day, 1));
      expect(addDays(day, -1)).toBe(viaDate.addDays(day, -1));
      checked++;
    }
    expect(checked).toBeGreaterThan(73_000);
  });

  it('adds long spans either way, across months, years and 1900 and 2000', () => {
    const days = [
      '1900-02-28',
      '2000-02-28',
      '2000-02-29',
      '2024-12-31',
      '2026-03-01',
      '2099-12-31',
    ];
    for (const day of days)
      for (const n of [0, 7, 28, 29, 30, 31, 59, 365, 366, 1461, -7, -31, -365, -1461, 36_524]) {
        expect(addDays(day, n)).toBe(viaDate.addDays(day, n));
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }
  });

  it('answers a date outside the written form as before (JavaScript parses it, or throws)', () => {
    expect(() => addDays('not a date', 1)).toThrow(RangeError);
    expect(Number.isNaN(dayOfWeek('not a date'))).toBe(true);
  });
});
