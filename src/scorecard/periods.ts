/**
 * The periods of the service index, pure: a month, a quarter or a year (or any run of local days
 * the API is given), and the one before it.
 */
import { addDays, daysBetween } from '../lib/vietnam-time.js';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface IndexPeriod {
  kind: PeriodKind;
  /** First and last local day. */
  from: string;
  to: string;
  year: number;
  /** The month (1–12) or quarter (1–4); 0 for a year or a custom period. */
  index: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last local day of a month ('YYYY-MM'). */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
  return addDays(next, -1);
}

export function monthPeriod(year: number, month: number): IndexPeriod {
  const from = `${year}-${pad(month)}-01`;
  return { kind: 'month', from, to: lastDayOfMonth(from.slice(0, 7)), year, index: month };
}

export function quarterPeriod(year: number, quarter: number): IndexPeriod {
  const first = (quarter - 1) * 3 + 1;
  return {
    kind: 'quarter',
    from: `${year}-${pad(first)}-01`,
    to: lastDayOfMonth(`${year}-${pad(first + 2)}`),
    year,
    index: quarter,
  };
}

export function yearPeriod(year: number): IndexPeriod {
  return { kind: 'year', from: `${year}-01-01`, to: `${year}-12-31`, year, index: 0 };
}

/** The period from..to names: a calendar month, quarter or year when it is one, else custom. */
export function periodOf(from: string, to: string): IndexPeriod {
  const year = Number(from.slice(0, 4));
  const month = Number(from.slice(5, 7));
  if (from.endsWith('-01')) {
    if (to === monthPeriod(year, month).to) return monthPeriod(year, month);
    if ((month - 1) % 3 === 0 && to === quarterPeriod(year, (month + 2) / 3).to)
      return quarterPeriod(year, (month + 2) / 3);
    if (month === 1 && to === `${year}-12-31`) return yearPeriod(year);
  }
  return { kind: 'custom', from, to, year, index: 0 };
}

/** The period before: the previous month, quarter or year, or as many days just before. */
export function previousOf(p: IndexPeriod): IndexPeriod {
  switch (p.kind) {
    case 'month':
      return p.index === 1 ? monthPeriod(p.year - 1, 12) : monthPeriod(p.year, p.index - 1);
    case 'quarter':
      return p.index === 1 ? quarterPeriod(p.year - 1, 4) : quarterPeriod(p.year, p.index - 1);
    case 'year':
      return yearPeriod(p.year - 1);
    default: {
      const to = addDays(p.from, -1);
      const from = addDays(to, -daysBetween(p.from, p.to));
      return { kind: 'custom', from, to, year: Number(from.slice(0, 4)), index: 0 };
    }
  }
}

/** The twelve months ('YYYY-MM') ending with the month of `to`, oldest first. */
export function trendMonths(to: string): string[] {
  const months: string[] = [];
  let [y, m] = to.slice(0, 7).split('-').map(Number) as [number, number];
  for (let i = 0; i < 12; i++) {
    months.unshift(`${y}-${pad(m)}`);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
  return months;
}
