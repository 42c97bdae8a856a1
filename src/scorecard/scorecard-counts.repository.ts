import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import type { ScorecardMeasure } from '../db/schema-scorecard.js';
import { addDays } from '../lib/vietnam-time.js';
import type { Count, MeasuredCode } from './indicators.js';
import type { IndexWindow } from './scorecard.repository.js';

/**
 * The service index's counts from the daily tables the database's triggers keep
 * (`scorecard_daily`/`scorecard_monthly`, migration 27; ratings from `report_daily`/
 * `report_monthly`, migration 07): whole months from the monthly table, the days at the edges
 * from the daily one. The stock "in progress at the period's end" is a difference of counts of
 * everything before that midnight (the migration explains the measures); while the period runs
 * ("as of" just after now, not a midnight) it is read from the open dossiers instead, on the
 * small index of dossiers in processing (`dossiers_open_for_reports`).
 */

type Sums = Map<string, number>;
const key = (measure: string, tag = '') => `${measure}\u0000${tag}`;

/** A run of local days split into whole months ('YYYY-MM') and the days around them. */
export function splitMonths(from: string, to: string) {
  const firstFull = from.endsWith('-01')
    ? from.slice(0, 7)
    : addDays(`${from.slice(0, 7)}-28`, 7).slice(0, 7);
  const lastFull = addDays(to, 1).endsWith('-01')
    ? to.slice(0, 7)
    : addDays(`${to.slice(0, 7)}-01`, -1).slice(0, 7);
  if (firstFull > lastFull) return { months: null, days: [[from, to]] as [string, string][] };
  const days: [string, string][] = [];
  const monthStart = `${firstFull}-01`;
  const afterLast = addDays(`${lastFull}-28`, 7).slice(0, 7) + '-01';
  if (from < monthStart) days.push([from, addDays(monthStart, -1)]);
  if (afterLast <= to) days.push([afterLast, to]);
  return { months: [firstFull, lastFull] as [string, string], days };
}

function addRows(into: Sums, rows: { measure: string; tag: string; n: unknown }[]) {
  for (const r of rows)
    into.set(key(r.measure, r.tag), (into.get(key(r.measure, r.tag)) ?? 0) + Number(r.n));
}

const FLOWS: ScorecardMeasure[] = [
  'resolved',
  'resolved_good',
  'received_native',
  'online_native',
  'digitised_native',
  'reused_native',
  'result_native',
  'result_file_native',
  'paid',
  'paid_online',
];
const STOCKS: ScorecardMeasure[] = [
  'open_in',
  'open_out',
  'paused_in',
  'paused_out',
  'overdue_in',
  'overdue_out',
  'paused_overdue_in',
  'paused_overdue_out',
];
const RATINGS = ['rating_very_satisfied', 'rating_satisfied', 'rating_unsatisfied'] as const;

/** The flows of the period's local days, per measure and tag. */
async function flowSums(db: Db, officeIds: number[], from: string, to: string): Promise<Sums> {
  const sums: Sums = new Map();
  const { months, days } = splitMonths(from, to);
  const sum = sql<number>`sum(n)`.as('n');
  if (months)
    addRows(
      sums,
      await db
        .selectFrom('scorecard_monthly')
        .select(['measure', 'tag', sum])
        .where('office_id', 'in', officeIds)
        .where('month', '>=', months[0])
        .where('month', '<=', months[1])
        .where('measure', 'in', FLOWS)
        .groupBy(['measure', 'tag'])
        .execute(),
    );
  for (const [a, b] of days)
    addRows(
      sums,
      await db
        .selectFrom('scorecard_daily')
        .select(['measure', 'tag', sum])
        .where('office_id', 'in', officeIds)
        .where('day', '>=', a)
        .where('day', '<=', b)
        .where('measure', 'in', FLOWS)
        .groupBy(['measure', 'tag'])
        .execute(),
    );
  // Ratings, from the month report's tables (rated on the day given, under the rated dossier's office).
  if (months)
    addRows(
      sums,
      await db
        .selectFrom('report_monthly')
        .select(['measure', sql<string>`''`.as('tag'), sum])
        .where('office_id', 'in', officeIds)
        .where('month', '>=', months[0])
        .where('month', '<=', months[1])
        .where('measure', 'in', RATINGS)
        .groupBy('measure')
        .execute(),
    );
  for (const [a, b] of days)
    addRows(
      sums,
      await db
        .selectFrom('report_daily')
        .select(['measure', sql<string>`''`.as('tag'), sum])
        .where('office_id', 'in', officeIds)
        .where('day', '>=', a)
        .where('day', '<=', b)
        .where('measure', 'in', RATINGS)
        .groupBy('measure')
        .execute(),
    );
  return sums;
}

/** Every stock measure counted on the local days before `day`. */
async function stockSums(db: Db, officeIds: number[], day: string): Promise<Sums> {
  const sums: Sums = new Map();
  const sum = sql<number>`sum(n)`.as('n');
  addRows(
    sums,
    await db
      .selectFrom('scorecard_monthly')
      .select(['measure', 'tag', sum])
      .where('office_id', 'in', officeIds)
      .where('month', '<', day.slice(0, 7))
      .where('measure', 'in', STOCKS)
      .groupBy(['measure', 'tag'])
      .execute(),
  );
  addRows(
    sums,
    await db
      .selectFrom('scorecard_daily')
      .select(['measure', 'tag', sum])
      .where('office_id', 'in', officeIds)
      .where('day', '>=', `${day.slice(0, 7)}-01`)
      .where('day', '<', day)
      .where('measure', 'in', STOCKS)
      .groupBy(['measure', 'tag'])
      .execute(),
  );
  return sums;
}

/**
 * The dossiers in progress at `w.asOfIso` (not a midnight: the running period), read from the
 * records: the open ones (on the small covering partial index `scorecard_open_dossiers`), and those whose result or closing comes
 * after that instant (on the partial indexes of results and of closings without one). The office
 * is a unary plus (`+d.office_id`, the same on both engines) so that SQLite, which keeps no
 * statistics, does not read the offices' whole history on the tracking book's index instead
 * (EXPLAIN QUERY PLAN on the 1,000,000-dossier database: 3.2 s → a few ms). Those the period also counts as resolved add only to the numerator, when
 * the resolution alone would not (the denominator is "resolved or in progress").
 */
async function openAtInstant(db: Db, officeIds: number[], w: IndexWindow): Promise<Count> {
  const asOf = w.asOfIso;
  const part = (where: ReturnType<typeof sql<SqlBool>>) =>
    sql`select d.status, d.supplement_requested_at, d.received_at, d.result_at, d.outcome,
        coalesce(d.rescheduled_due_at, d.due_at) as due
      from dossiers d where +d.office_id in (${sql.join(officeIds)})
        and d.intake_outcome = 'accepted' and d.received_at < ${asOf} and ${where}`;
  const row = await sql<{ den: number | null; num: number | null }>`
    select sum(case when paused = 0 and resolved = 0 then 1 else 0 end) as den,
      sum(case when paused = 0 and (due is null or due >= ${asOf})
        and not (resolved = 1 and outcome in ('early', 'on_time')) then 1 else 0 end) as num
    from (select x.*,
        case when x.status = 'supplement_requested'
          and coalesce(x.supplement_requested_at, x.received_at) < ${asOf} then 1 else 0 end as paused,
        case when x.result_at >= ${w.startIso} and x.result_at < ${w.endIso}
          and x.outcome is not null then 1 else 0 end as resolved
      from (
        ${part(sql<SqlBool>`d.closed_at is null and d.result_at is null`)}
        union all ${part(sql<SqlBool>`d.result_at is null and d.closed_at >= ${asOf}`)}
        union all ${part(sql<SqlBool>`d.result_at >= ${asOf} and (d.closed_at is null or d.closed_at >= ${asOf})`)}
      ) x) y`.execute(db);
  const r = row.rows[0];
  return { denominator: Number(r?.den ?? 0), numerator: Number(r?.num ?? 0) };
}

/** Every measured indicator's numerator and denominator for the offices and period. */
export async function countFromDailyTables(
  db: Db,
  officeIds: number[],
  w: IndexWindow,
): Promise<Record<MeasuredCode, Count>> {
  const zero = { numerator: 0, denominator: 0 };
  if (officeIds.length === 0)
    return {
      on_time: zero,
      online_filed: zero,
      payment_procedures: zero,
      payment_dossiers: zero,
      electronic_result: zero,
      digitised: zero,
      reused: zero,
      satisfaction: zero,
    };
  const flows = await flowSums(db, officeIds, w.from, w.to);
  const f = (m: string) => flows.get(key(m)) ?? 0;
  let open: Count;
  if (w.asOfIso === w.endIso) {
    const stocks = await stockSums(db, officeIds, addDays(w.to, 1));
    const s = (m: string) => (stocks.get(key(`${m}_in`)) ?? 0) - (stocks.get(key(`${m}_out`)) ?? 0);
    const notPaused = s('open') - s('paused');
    open = { denominator: notPaused, numerator: notPaused - (s('overdue') - s('paused_overdue')) };
  } else {
    open = await openAtInstant(db, officeIds, w);
  }
  const procedures = new Map<string, { paid: number; online: number }>();
  for (const [k, n] of flows) {
    const [measure, tag] = k.split('\u0000') as [string, string];
    if (measure !== 'paid' && measure !== 'paid_online') continue;
    const p = procedures.get(tag) ?? { paid: 0, online: 0 };
    if (measure === 'paid') p.paid += n;
    else p.online += n;
    procedures.set(tag, p);
  }
  const paid = [...procedures.values()];
  const count = (denominator: number, numerator: number) => ({ numerator, denominator });
  return {
    on_time: count(f('resolved') + open.denominator, f('resolved_good') + open.numerator),
    online_filed: count(f('received_native'), f('online_native')),
    digitised: count(f('received_native'), f('digitised_native')),
    reused: count(f('received_native'), f('reused_native')),
    electronic_result: count(f('result_native'), f('result_file_native')),
    payment_dossiers: count(
      paid.reduce((a, p) => a + p.paid, 0),
      paid.reduce((a, p) => a + p.online, 0),
    ),
    payment_procedures: count(
      paid.filter((p) => p.paid > 0).length,
      paid.filter((p) => p.online > 0).length,
    ),
    satisfaction: count(
      RATINGS.reduce((a, m) => a + f(m), 0),
      f('rating_very_satisfied') + f('rating_satisfied'),
    ),
  };
}
