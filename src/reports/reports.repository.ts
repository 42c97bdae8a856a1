import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StockRow } from './report-tally.js';

type Db = Kysely<Database>;

export interface ReportWindow {
  /** First instant of the period (ISO, UTC): local midnight of the first day. */
  startIso: string;
  /** First instant after the period. */
  endIso: string;
  /** The instant "in progress", "overdue" and "awaiting" are judged at: min(end, now). */
  asOfIso: string;
}

const sumWhen = (condition: RawBuilder<unknown>) =>
  sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/**
 * The stocks at instant `asOf` (see StockRow), from disjoint sets of rows, each read through
 * one narrow index so the finished history is never scanned: dossiers still open now (a partial
 * covering index), dossiers whose result or closing came after `asOf` (empty when `asOf` is
 * now), and dossiers whose result waits, or waited at `asOf`, for pickup.
 *
 * Each query's WHERE holds only the condition its index answers; every other condition sits in
 * the counted CASE expressions, and offices are filtered on the grouped rows. Without table
 * statistics SQLite otherwise prefers an equality on `office_id` or `status` and walks an office's
 * whole history (measured: seconds on the benchmark database).
 */
export async function countStocks(db: Db, officeIds: number[], asOf: string): Promise<StockRow[]> {
  const due = sql`coalesce(rescheduled_due_at, due_at)`;
  const openAtAsOf = sql`intake_outcome = 'accepted' and received_at < ${asOf}`;
  const openCounts = [
    sumWhen(openAtAsOf).as('open'),
    sumWhen(sql`${openAtAsOf} and status <> 'supplement_requested' and ${due} >= ${asOf}`).as(
      'withinDeadline',
    ),
    sumWhen(sql`${openAtAsOf} and status <> 'supplement_requested' and ${due} < ${asOf}`).as(
      'overdue',
    ),
    sumWhen(sql`${openAtAsOf} and status = 'supplement_requested'`).as('awaitingSupplement'),
    sql<number>`0`.as('awaitingPickup'),
  ] as const;
  const pickupCounts = (status: 'result_ready' | 'returned') =>
    [
      sql<number>`0`.as('open'),
      sql<number>`0`.as('withinDeadline'),
      sql<number>`0`.as('overdue'),
      sql<number>`0`.as('awaitingSupplement'),
      sumWhen(
        sql`status = ${status} and intake_outcome = 'accepted' and result_at < ${asOf} and (returned_at is null or returned_at >= ${asOf})`,
      ).as('awaitingPickup'),
    ] as const;
  const dims = ['office_id', 'procedure_code', 'report_group', 'received_by'] as const;
  // Five reads side by side (on the report read workers, on as many cores).
  const sets = await Promise.all([
    // Open now (no result, not closed): the partial index dossiers_open_for_reports covers it,
    // office first, so this one query may filter offices in SQL.
    db
      .selectFrom('dossiers')
      .select(dims)
      .select(openCounts)
      .where('closed_at', 'is', null)
      .where('result_at', 'is', null)
      .where('office_id', 'in', officeIds)
      .groupBy(dims)
      .execute(),
    // Open at asOf, finished since: by result time, or closing time when there is no result.
    db
      .selectFrom('dossiers')
      .select(dims)
      .select(openCounts)
      .where('result_at', '>=', asOf)
      .groupBy(dims)
      .execute(),
    db
      .selectFrom('dossiers')
      .select(dims)
      .select(openCounts)
      .where('closed_at', '>=', asOf)
      .where('result_at', 'is', null)
      .groupBy(dims)
      .execute(),
    // Awaiting pickup at asOf: results not yet handed back, and those handed back since. The
    // first through the partial index dossiers_awaiting_pickup (migration 33), office first and
    // covering; its condition written out, not bound, for SQLite to know the index applies.
    db
      .selectFrom('dossiers')
      .select(dims)
      .select(pickupCounts('result_ready'))
      .where(sql<boolean>`status = 'result_ready'`)
      .where('office_id', 'in', officeIds)
      .groupBy(dims)
      .execute(),
    db
      .selectFrom('dossiers')
      .select(dims)
      .select(pickupCounts('returned'))
      .where('returned_at', '>=', asOf)
      .groupBy(dims)
      .execute(),
  ]);
  const inScope = new Set(officeIds);
  return sets
    .flat()
    .filter((r) => inScope.has(r.office_id))
    .map((r) => ({
      officeId: r.office_id,
      procedureCode: r.procedure_code,
      reportGroup: r.report_group,
      officerId: r.received_by,
      open: Number(r.open),
      withinDeadline: Number(r.withinDeadline),
      overdue: Number(r.overdue),
      awaitingSupplement: Number(r.awaitingSupplement),
      awaitingPickup: Number(r.awaitingPickup),
    }));
}

/** How many deadline-list rows the report page shows; the counts above them cover all. */
export const DEADLINE_LIST_LIMIT = 100;

/**
 * Dossiers in processing (received or processing) in the offices. Open dossiers have no result
 * and no closing time, stated beside the status so the query runs on the small covering index
 * dossiers_open_for_reports rather than on the offices' history.
 */
function inProcessing(db: Db, officeIds: number[]) {
  return db
    .selectFrom('dossiers')
    .where('closed_at', 'is', null)
    .where('result_at', 'is', null)
    .where('office_id', 'in', officeIds)
    .where('status', 'in', ['received', 'processing']);
}

const effectiveDueAt = sql<string>`coalesce(rescheduled_due_at, due_at)`;
const effectiveDueOn = sql<string>`coalesce(rescheduled_due_on, due_on)`;

/** Open dossiers whose (rescheduled) due time is before `nowIso`: the oldest first, and how many. */
export async function findOverdue(db: Db, officeIds: number[], nowIso: string) {
  return firstRowsAndTotal(
    db,
    () => inProcessing(db, officeIds).where(effectiveDueAt, '<', nowIso),
    effectiveDueAt,
  );
}

/**
 * Dossiers overdue at a past instant `asOf`, counted exactly as countStocks counts "overdue":
 * accepted and received before it, not finished by then, due before it, and not awaiting a
 * supplement. From the same three disjoint sets, each through its own narrow index.
 */
export async function findOverdueAt(db: Db, officeIds: number[], asOf: string) {
  if (officeIds.length === 0) return { rows: [], total: 0 };
  const base = () =>
    db
      .selectFrom('dossiers')
      .select([
        'id',
        'office_id',
        'received_at',
        sql<string>`coalesce(rescheduled_due_at, due_at)`.as('due'),
      ])
      .where('intake_outcome', '=', 'accepted')
      .where('status', '<>', 'supplement_requested')
      .where(effectiveDueAt, '<', asOf);
  // As in countStocks, each WHERE holds only what its index answers; the offices and "received
  // before" are checked here. With either in SQL, SQLite (no statistics) read every dossier the
  // offices received before the instant through the tracking book's index: the open set 2.0 s →
  // 0.07 s, the finished-since set 0.6 s → 10 ms on the 1,000,000-dossier bench.
  const sets = await Promise.all([
    // Still open: the small partial index of open dossiers, office first.
    base()
      .where('closed_at', 'is', null)
      .where('result_at', 'is', null)
      .where('office_id', 'in', officeIds)
      .execute(),
    // A result since: the partial index of results, from the instant on.
    base().where('result_at', '>=', asOf).execute(),
    // Closed without a result since: its own partial index.
    base().where('closed_at', '>=', asOf).where('result_at', 'is', null).execute(),
  ]);
  const inScope = new Set(officeIds);
  const all = sets
    .flat()
    .filter((r) => r.received_at < asOf && inScope.has(r.office_id))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id - b.id));
  const ids = all.slice(0, DEADLINE_LIST_LIMIT).map((r) => r.id);
  const rows = ids.length
    ? await db.selectFrom('dossiers').select(DEADLINE_LIST_COLUMNS).where('id', 'in', ids).execute()
    : [];
  const position = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { rows, total: all.length };
}

/** Open dossiers due from `fromDay` to `toDay` (local days): the soonest first, and how many. */
export async function findDueBetween(
  db: Db,
  officeIds: number[],
  nowIso: string,
  fromDay: string,
  toDay: string,
) {
  const q = () =>
    inProcessing(db, officeIds)
      .where(effectiveDueAt, '>=', nowIso)
      .where(effectiveDueOn, '>=', fromDay)
      .where(effectiveDueOn, '<=', toDay);
  return firstRowsAndTotal(db, q, effectiveDueAt);
}

/**
 * The first rows of a list of open dossiers and its size, read side by side: the rows through
 * their ids, filtered and ordered on the covering index in a subquery (only the rows shown are
 * read from the table), and the count. Read one after the other (the ids, then the rows, then
 * the count), a list's statements came last in the report's queue of statements, and two of
 * them waited for the one before.
 */
async function firstRowsAndTotal(
  db: Db,
  q: () => SelectQueryBuilder<Database, 'dossiers', object>,
  order: RawBuilder<unknown>,
) {
  const [rows, counted] = await Promise.all([
    db
      .selectFrom('dossiers')
      .select(DEADLINE_LIST_COLUMNS)
      .where('id', 'in', q().select('id').orderBy(order).orderBy('id').limit(DEADLINE_LIST_LIMIT))
      .orderBy(order)
      .orderBy('id')
      .execute(),
    q()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(counted.n) };
}

/** What a deadline list shows of a dossier (the columns of the dossier table partial). */
const DEADLINE_LIST_COLUMNS = [
  'id',
  'code',
  'procedure_name',
  'status',
  'applicant_name',
  'received_at',
  'due_at',
  'rescheduled_due_at',
  'outcome',
] as const;
