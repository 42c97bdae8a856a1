import { addDays, daysBetween } from '../lib/vietnam-time.js';

/** The first day of the month `months` after (or before) a date's month, as yyyy-mm-01. */
function monthStart(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The period to compare a report with. Whole calendar months (a month, a quarter, a year) are
 * compared with as many calendar months just before (December with November, Q4 with Q3, 2026
 * with 2025); any other span with the same number of days just before.
 */
export function previousPeriod(q: { from: string; to: string }): { from: string; to: string } {
  const to = addDays(q.from, -1);
  const wholeMonths = q.from.endsWith('-01') && addDays(q.to, 1).endsWith('-01');
  if (wholeMonths) {
    const months =
      (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4))) * 12 +
      Number(q.to.slice(5, 7)) -
      Number(q.from.slice(5, 7)) +
      1;
    return { from: monthStart(q.from, -months), to };
  }
  const days = daysBetween(q.from, q.to) + 1;
  return { from: addDays(to, -(days - 1)), to };
}
