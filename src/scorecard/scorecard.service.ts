import { z } from 'zod';
import type { Deps } from '../context.js';
import { ValidationError } from '../errors.js';
import { formatDate } from '../lib/format.js';
import { addDays, daysBetween, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import {
  groupTotals,
  INDICATORS,
  rankOn,
  scoreIndicators,
  totalsOf,
  type Count,
  type DossierCode,
  type IndicatorValue,
  type MeasuredCode,
} from './indicators.js';
import {
  monthPeriod,
  periodOf,
  previousOf,
  quarterPeriod,
  trendMonths,
  yearPeriod,
  type IndexPeriod,
} from './periods.js';
import { countFromDailyTables } from './scorecard-counts.repository.js';
import { listDossiers, type IndexWindow, type ListSide } from './scorecard.repository.js';
import { trendChart } from './trend-chart.js';

const t = vi.serviceIndex;
/** The longest period the API accepts (a leap year). */
const MAX_DAYS = 366;
export const LIST_PAGE_SIZE = 50;

/** The instants of a period, judged "as of" its end or just after now while it runs. */
export function windowOf(p: { from: string; to: string }, now: Date): IndexWindow {
  const startIso = startOfLocalDayIso(p.from);
  const endIso = startOfLocalDayIso(addDays(p.to, 1));
  const justAfterNow = new Date(now.getTime() + 1).toISOString();
  return {
    from: p.from,
    to: p.to,
    startIso,
    endIso,
    asOfIso: justAfterNow < endIso ? justAfterNow : endIso,
  };
}

/** The API's query: local days (a month, a quarter, a year or any run up to a year), an office code. */
export const serviceIndexQuery = z.object({
  from: z.string({ message: t.errors.dateInvalid }).max(10, t.errors.dateInvalid),
  to: z.string({ message: t.errors.dateInvalid }).max(10, t.errors.dateInvalid),
  office: z.string().max(40, vi.errors.tooLong(40)).optional(),
});

/** `from`/`to` of the API: local days, in order, at most a year. */
export function parseRange(f: string, e: string): IndexPeriod {
  const fields: Record<string, string> = {};
  if (!isIsoDate(f)) fields.from = t.errors.dateInvalid;
  if (!isIsoDate(e)) fields.to = t.errors.dateInvalid;
  if (!fields.from && !fields.to && f > e) fields.to = t.errors.toBeforeFrom;
  if (!fields.from && !fields.to && daysBetween(f, e) >= MAX_DAYS)
    fields.to = t.errors.rangeTooLong;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return periodOf(f, e);
}

/** The page's choice: a month, a quarter or a year (defaults: this month). */
export function parsePagePeriod(raw: Record<string, unknown>, today: string): IndexPeriod {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const kind = text(raw.kind) || 'month';
  const year = text(raw.year) ? Number(text(raw.year)) : Number(today.slice(0, 4));
  const fields: Record<string, string> = {};
  if (!['month', 'quarter', 'year'].includes(kind)) fields.kind = t.errors.periodInvalid;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) fields.year = t.errors.yearInvalid;
  const n = text(raw.n)
    ? Number(text(raw.n))
    : kind === 'quarter'
      ? Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1
      : Number(today.slice(5, 7));
  if (kind === 'month' && !(Number.isInteger(n) && n >= 1 && n <= 12))
    fields.n = t.errors.monthInvalid;
  if (kind === 'quarter' && !(Number.isInteger(n) && n >= 1 && n <= 4))
    fields.n = t.errors.quarterInvalid;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const period =
    kind === 'year'
      ? yearPeriod(year)
      : kind === 'quarter'
        ? quarterPeriod(year, n)
        : monthPeriod(year, n);
  // A period still to come has nothing to score: judged at its start, today's open dossiers would
  // give it points of their own.
  if (period.from > today)
    throw new ValidationError({
      [kind === 'year' ? 'year' : 'n']: t.errors.notStarted(periodLabel(period)),
    });
  return period;
}

/** Every measured indicator's numerator and denominator for the offices and period. */
export async function countIndicators(
  deps: Deps<'db'>,
  officeIds: number[],
  w: IndexWindow,
): Promise<Record<MeasuredCode, Count>> {
  return countFromDailyTables(deps.db, officeIds, w);
}

export interface PeriodScore {
  period: IndexPeriod;
  asOfIso: string;
  values: IndicatorValue[];
  totals: ReturnType<typeof totalsOf>;
  groups: ReturnType<typeof groupTotals>;
}

async function scorePeriod(
  deps: Deps<'db' | 'clock'>,
  officeIds: number[],
  period: IndexPeriod,
): Promise<PeriodScore> {
  const w = windowOf(period, deps.clock.now());
  const values = scoreIndicators(await countIndicators(deps, officeIds, w));
  return {
    period,
    asOfIso: w.asOfIso,
    values,
    totals: totalsOf(values),
    groups: groupTotals(values),
  };
}

/** The scorecard of a period for some offices, with the period before it beside. */
export async function buildScorecard(
  deps: Deps<'db' | 'clock'>,
  officeIds: number[],
  period: IndexPeriod,
) {
  const [current, previous] = await Promise.all([
    scorePeriod(deps, officeIds, period),
    scorePeriod(deps, officeIds, previousOf(period)),
  ]);
  return { current, previous, generatedAt: deps.clock.now() };
}
export type Scorecard = Awaited<ReturnType<typeof buildScorecard>>;

/** Each office of the scope scored on its own for the period, ranked on an indicator or the total. */
export async function rankOffices(
  deps: Deps<'db' | 'clock'>,
  offices: { id: number; code: string; name: string }[],
  period: IndexPeriod,
  code: MeasuredCode | null,
) {
  const w = windowOf(period, deps.clock.now());
  const scored = await Promise.all(
    offices.map(async (office) => {
      const values = scoreIndicators(await countIndicators(deps, [office.id], w));
      return { office, values, totals: totalsOf(values) };
    }),
  );
  return rankOn(scored, code);
}
export type OfficeRanking = Awaited<ReturnType<typeof rankOffices>>;

/** Each measured indicator over the twelve months ending with the period's last month, as charts. */
export async function buildTrends(
  deps: Deps<'db' | 'clock'>,
  officeIds: number[],
  period: IndexPeriod,
) {
  const months = trendMonths(period.to);
  const now = deps.clock.now();
  const scored = await Promise.all(
    months.map(async (month) => {
      const p = monthPeriod(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
      return scoreIndicators(await countIndicators(deps, officeIds, windowOf(p, now)));
    }),
  );
  return INDICATORS.filter((def) => def.scoring).map((def) => {
    const points = months.map((month, i) => {
      const v = scored[i]!.find((x) => x.def.code === def.code)!;
      return { month, value: v.value, numerator: v.numerator!, denominator: v.denominator! };
    });
    const target = def.scoring!.kind === 'target' ? def.scoring!.target : null;
    const name = t.indicators[def.code]!.name;
    return { code: def.code, name, points, svg: trendChart(name, points, target) };
  });
}

/** A period's label in Vietnamese. */
export function periodLabel(p: IndexPeriod): string {
  if (p.kind === 'month') return t.periodLabel.month(p.index, p.year);
  if (p.kind === 'quarter') return t.periodLabel.quarter(p.index, p.year);
  if (p.kind === 'year') return t.periodLabel.year(p.year);
  return t.periodLabel.custom(formatDate(p.from), formatDate(p.to));
}

/** Why a listed dossier counts in the numerator or not (Vietnamese). */
function reasonOf(
  code: DossierCode,
  row: Awaited<ReturnType<typeof listDossiers>>['rows'][number],
  w: IndexWindow,
): string {
  const r = t.reasons;
  const day = (iso: string) => formatDate(localDateOf(new Date(iso)));
  switch (code) {
    case 'on_time': {
      if (row.result_at && row.result_at >= w.startIso && row.result_at < w.endIso)
        return r.resolved(t.outcome[row.outcome ?? 'late'] ?? '', day(row.result_at));
      const due = row.rescheduled_due_at ?? row.due_at;
      if (!due) return r.inProgressNoDue;
      return row.counts ? r.inProgress(day(due)) : r.overdue(day(due));
    }
    case 'online_filed':
      return r.channel[row.receiving_channel] ?? row.receiving_channel;
    case 'digitised':
      return row.counts ? r.digitised : r.notDigitised;
    case 'reused':
      return row.counts ? r.reused : r.notReused;
    case 'electronic_result':
      return row.counts ? r.electronic : r.notElectronic;
    case 'payment_dossiers':
      return row.counts ? r.paidOnline : r.paidOffline;
    case 'satisfaction':
      return row.counts ? r.satisfied : r.unsatisfied;
  }
}

/** A page of the dossiers behind one side of a dossier indicator, each with its reason. */
export async function buildDrillDown(
  deps: Deps<'db' | 'clock'>,
  officeIds: number[],
  period: IndexPeriod,
  code: DossierCode,
  side: ListSide,
  page: number,
) {
  const w = windowOf(period, deps.clock.now());
  const { total, rows } = await listDossiers(deps.db, officeIds, w, code, side, {
    offset: (page - 1) * LIST_PAGE_SIZE,
    limit: LIST_PAGE_SIZE,
  });
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / LIST_PAGE_SIZE)),
    rows: rows.map((row) => ({ ...row, reason: reasonOf(code, row, w) })),
  };
}
