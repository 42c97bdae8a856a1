/**
 * Pure arithmetic of the report counts (docs/DOMAIN.md §6) from two inputs the database
 * gives cheaply: the period's flows, summed from the daily table, and the stocks at the
 * report's "as of" instant, counted from the few dossiers that are open (or awaiting pickup)
 * at that instant. No clock is read here; the repository decided which rows belong.
 */
import { addDays, daysBetween } from '../lib/vietnam-time.js';

/** The counts of one group of dossiers. */
export interface CountRow {
  carriedOver: number;
  received: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  refused: number;
  guided: number;
  withdrawnOrStopped: number;
  inProgressWithinDeadline: number;
  inProgressOverdue: number;
  awaitingSupplement: number;
  awaitingPickup: number;
}

export const COUNT_KEYS: (keyof CountRow)[] = [
  'carriedOver',
  'received',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'refused',
  'guided',
  'withdrawnOrStopped',
  'inProgressWithinDeadline',
  'inProgressOverdue',
  'awaitingSupplement',
  'awaitingPickup',
];

export type ReportDimension = 'procedure' | 'report_group' | 'office' | 'officer';

export type FlowMeasure =
  | 'received'
  | 'guided'
  | 'early'
  | 'on_time'
  | 'late'
  | 'refused'
  | 'withdrawn_stopped'
  | 'finished';

/** What every count is grouped by; each dossier has one value of each, fixed at intake. */
export interface GroupDims {
  officeId: number;
  procedureCode: string;
  reportGroup: string;
  officerId: number;
}

/** How many dossiers a flow measure counted in the period, for one combination of dims. */
export interface FlowRow extends GroupDims {
  measure: FlowMeasure;
  n: number;
}

/** Dossiers in a state at the "as of" instant, for one combination of dims. */
export interface StockRow extends GroupDims {
  /** Accepted, received before the instant, not finished (no result, not closed) by then. */
  open: number;
  withinDeadline: number;
  overdue: number;
  awaitingSupplement: number;
  awaitingPickup: number;
}

export function zeroCounts(): CountRow {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as CountRow;
}

export function dimensionKey(dims: GroupDims, dimension: ReportDimension): string {
  switch (dimension) {
    case 'procedure':
      return dims.procedureCode;
    case 'report_group':
      return dims.reportGroup;
    case 'office':
      return String(dims.officeId);
    case 'officer':
      return String(dims.officerId);
  }
}

const FLOW_TO_COUNT: Partial<Record<FlowMeasure, keyof CountRow>> = {
  received: 'received',
  guided: 'guided',
  early: 'resolvedEarly',
  on_time: 'resolvedOnTime',
  late: 'resolvedLate',
  refused: 'refused',
  withdrawn_stopped: 'withdrawnOrStopped',
};

/**
 * Counts per group of one dimension. "Carried over" is the open count at the period's start,
 * which conservation gives without reading the past: every accepted dossier is received once
 * and finishes at most once, so open(start) = open(as of) − received + finished, with both flows
 * taken over [start, as of). The caller passes flows of the whole period; that equals [start,
 * as of) because as of = min(end, now) and nothing is stamped after now. Groups where every
 * count is zero are left out.
 */
export function tallyByDimension(
  flows: FlowRow[],
  stocks: StockRow[],
  dimension: ReportDimension,
): Map<string, CountRow> {
  const groups = new Map<string, CountRow & { finished: number; open: number }>();
  const groupOf = (dims: GroupDims) => {
    const key = dimensionKey(dims, dimension);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...zeroCounts(), finished: 0, open: 0 }));
    return g;
  };
  for (const f of flows) {
    const g = groupOf(f);
    if (f.measure === 'finished') g.finished += f.n;
    else g[FLOW_TO_COUNT[f.measure]!] += f.n;
  }
  for (const s of stocks) {
    const g = groupOf(s);
    g.open += s.open;
    g.inProgressWithinDeadline += s.withinDeadline;
    g.inProgressOverdue += s.overdue;
    g.awaitingSupplement += s.awaitingSupplement;
    g.awaitingPickup += s.awaitingPickup;
  }
  const result = new Map<string, CountRow>();
  for (const [key, { finished, open, ...counts }] of groups) {
    counts.carriedOver = open - counts.received + finished;
    if (COUNT_KEYS.some((k) => counts[k] !== 0)) result.set(key, counts);
  }
  return result;
}

/**
 * A period of local days as the daily and monthly tables answer it, reading as few daily rows as
 * it can: whole calendar months from the monthly table and the days of a partial month from the
 * daily one; but a month the period covers for the most part is read whole and its days outside
 * the period subtracted (`minusRanges`), since the monthly table holds exactly the sum of the
 * daily one (both kept by the same triggers). Last month's report compares with the 30 days
 * before it: one month and a day instead of 30 days of every office.
 */
export function splitPeriod(
  from: string,
  to: string,
): {
  dayRanges: [string, string][];
  months: [string, string] | null;
  minusRanges: [string, string][];
} {
  const firstOfMonth = (day: string) => `${day.slice(0, 7)}-01`;
  const nextMonth = (day: string) => `${addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7)}-01`;
  const lastOfMonth = (day: string) => addDays(nextMonth(day), -1);
  const days = (a: string, b: string) => daysBetween(a, b) + 1;
  const dayRanges: [string, string][] = [];
  const minusRanges: [string, string][] = [];
  let firstMonth: string | null = null;
  let lastMonth: string | null = null;
  const wholeMonth = (day: string) => {
    const month = day.slice(0, 7);
    if (firstMonth === null || month < firstMonth) firstMonth = month;
    if (lastMonth === null || month > lastMonth) lastMonth = month;
  };
  /** The part [a, b] of one calendar month: its days, or the month less the days around them. */
  const partOfMonth = (a: string, b: string) => {
    const first = firstOfMonth(a);
    const last = lastOfMonth(a);
    const inside = days(a, b);
    if (inside <= days(first, last) - inside) return void dayRanges.push([a, b]);
    wholeMonth(a);
    if (first < a) minusRanges.push([first, addDays(a, -1)]);
    if (b < last) minusRanges.push([addDays(b, 1), last]);
  };
  if (firstOfMonth(from) === firstOfMonth(to)) partOfMonth(from, to);
  else {
    partOfMonth(from, lastOfMonth(from));
    for (let m = nextMonth(from); m < firstOfMonth(to); m = nextMonth(m)) wholeMonth(m);
    partOfMonth(firstOfMonth(to), to);
  }
  const months: [string, string] | null =
    firstMonth === null ? null : [firstMonth, lastMonth ?? firstMonth];
  return { dayRanges, months, minusRanges };
}
