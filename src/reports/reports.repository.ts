import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/** The counts of DOMAIN.md Part A §9 for one group of dossiers. */
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
  'carriedOver', 'received', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'refused', 'guided',
  'withdrawnOrStopped', 'inProgressWithinDeadline', 'inProgressOverdue', 'awaitingSupplement', 'awaitingPickup',
];

export type ReportDimension = 'procedure' | 'report_group' | 'office' | 'officer';

export interface ReportWindow {
  /** First instant of the period (ISO, UTC): local midnight of the first day. */
  startIso: string;
  /** First instant after the period. */
  endIso: string;
  /** The instant "in progress", "overdue" and "awaiting" are judged at: min(end, now). */
  asOfIso: string;
}

const count = (condition: RawBuilder<unknown>) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/**
 * One row per group with every count, by conditional aggregation in one pass. Portable SQL
 * (CASE, COALESCE, ISO text comparisons), so a PostgreSQL dialect runs it unchanged.
 */
export async function countDossiers(db: Db, officeIds: number[], w: ReportWindow, dimension: ReportDimension) {
  const { startIso: S, endIso: E, asOfIso: A } = w;
  const accepted = sql`d.intake_outcome = 'accepted'`;
  const finishedAt = sql`coalesce(d.result_at, d.closed_at)`;
  const openAt = (instant: string) => sql`${accepted} and d.received_at < ${instant} and (${finishedAt} is null or ${finishedAt} >= ${instant})`;
  const dueAt = sql`coalesce(d.rescheduled_due_at, d.due_at)`;
  const resolvedIn = sql`d.result_at >= ${S} and d.result_at < ${E}`;

  const groupColumns = {
    procedure: [sql<string>`d.procedure_code`.as('key'), sql<string>`max(d.procedure_name)`.as('label')],
    report_group: [sql<string>`d.report_group`.as('key'), sql<string>`max(rg.name)`.as('label')],
    office: [sql<string>`cast(d.office_id as text)`.as('key'), sql<string>`max(o.name)`.as('label')],
    officer: [sql<string>`cast(d.received_by as text)`.as('key'), sql<string>`max(a.full_name)`.as('label')],
  }[dimension];
  const groupBy = { procedure: sql`d.procedure_code`, report_group: sql`d.report_group`, office: sql`d.office_id`, officer: sql`d.received_by` }[dimension];

  return db
    .selectFrom('dossiers as d')
    .innerJoin('report_groups as rg', 'rg.code', 'd.report_group')
    .innerJoin('offices as o', 'o.id', 'd.office_id')
    .innerJoin('accounts as a', 'a.id', 'd.received_by')
    .select(groupColumns)
    .select([
      count(openAt(S)).as('carriedOver'),
      count(sql`${accepted} and d.received_at >= ${S} and d.received_at < ${E}`).as('received'),
      count(sql`${resolvedIn} and d.outcome = 'early'`).as('resolvedEarly'),
      count(sql`${resolvedIn} and d.outcome = 'on_time'`).as('resolvedOnTime'),
      count(sql`${resolvedIn} and d.outcome = 'late'`).as('resolvedLate'),
      count(sql`d.status = 'refused' and d.closed_at >= ${S} and d.closed_at < ${E}`).as('refused'),
      count(sql`d.intake_outcome = 'guided' and d.received_at >= ${S} and d.received_at < ${E}`).as('guided'),
      count(sql`d.status in ('withdrawn', 'stopped') and d.closed_at >= ${S} and d.closed_at < ${E}`).as('withdrawnOrStopped'),
      count(sql`${openAt(A)} and ${dueAt} >= ${A} and d.status <> 'supplement_requested'`).as('inProgressWithinDeadline'),
      count(sql`${openAt(A)} and ${dueAt} < ${A} and d.status <> 'supplement_requested'`).as('inProgressOverdue'),
      count(sql`${openAt(A)} and d.status = 'supplement_requested'`).as('awaitingSupplement'),
      count(sql`${accepted} and d.result_at < ${A} and (d.returned_at is null or d.returned_at >= ${A}) and d.status in ('result_ready', 'returned')`).as('awaitingPickup'),
    ])
    .where('d.office_id', 'in', officeIds)
    .where('d.received_at', '<', E)
    // Only rows some count can include: received in the period, finished in or after it, still
    // open, or not yet handed back. Each term has an index, so old finished history is skipped.
    .where((eb) =>
      eb.or([
        eb('d.received_at', '>=', S),
        eb('d.result_at', '>=', S),
        eb('d.closed_at', '>=', S),
        eb.and([eb('d.closed_at', 'is', null), eb('d.result_at', 'is', null)]),
        eb('d.returned_at', '>=', S),
        eb('d.status', '=', 'result_ready'),
      ]),
    )
    .groupBy(groupBy)
    .orderBy(sql`2`)
    .execute();
}

/** Received and resolved per local day, for the charts. */
export async function countPerDay(db: Db, officeIds: number[], fromDay: string, toDay: string) {
  const received = await db
    .selectFrom('dossiers')
    .select(['received_on as day', (eb) => eb.fn.countAll<number>().as('n')])
    .where('office_id', 'in', officeIds)
    .where('intake_outcome', '=', 'accepted')
    .where('received_on', '>=', fromDay)
    .where('received_on', '<=', toDay)
    .groupBy('received_on')
    .execute();
  const resolved = await db
    .selectFrom('dossiers')
    .select([
      'result_on as day',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`coalesce(sum(case when outcome in ('early', 'on_time') then 1 else 0 end), 0)`.as('inTime'),
    ])
    .where('office_id', 'in', officeIds)
    .where('result_on', '>=', fromDay)
    .where('result_on', '<=', toDay)
    .groupBy('result_on')
    .execute();
  return { received, resolved };
}

export async function countRatings(db: Db, officeIds: number[], startIso: string, endIso: string) {
  return db
    .selectFrom('ratings')
    .innerJoin('dossiers', 'dossiers.id', 'ratings.dossier_id')
    .select(['ratings.level as level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dossiers.office_id', 'in', officeIds)
    .where('ratings.at', '>=', startIso)
    .where('ratings.at', '<', endIso)
    .groupBy('ratings.level')
    .execute();
}

/** Open dossiers whose (rescheduled) due time is before `nowIso`, oldest first. */
export async function findOverdue(db: Db, officeIds: number[], nowIso: string) {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('office_id', 'in', officeIds)
    .where('status', 'in', ['received', 'processing'])
    .where(sql<string>`coalesce(rescheduled_due_at, due_at)`, '<', nowIso)
    .orderBy(sql`coalesce(rescheduled_due_at, due_at)`)
    .execute();
}

/** Open dossiers due from `fromDay` to `toDay` (local days), soonest first. */
export async function findDueBetween(db: Db, officeIds: number[], nowIso: string, fromDay: string, toDay: string) {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('office_id', 'in', officeIds)
    .where('status', 'in', ['received', 'processing'])
    .where(sql<string>`coalesce(rescheduled_due_at, due_at)`, '>=', nowIso)
    .where(sql<string>`coalesce(rescheduled_due_on, due_on)`, '>=', fromDay)
    .where(sql<string>`coalesce(rescheduled_due_on, due_on)`, '<=', toDay)
    .orderBy(sql`coalesce(rescheduled_due_at, due_at)`)
    .execute();
}

/**
 * One page of one office's tracking book, in receipt order (keyset on received_at, id over the
 * (office_id, received_at, id) index), so an export never holds the connection long.
 */
export async function findTrackingBookPage(db: Db, officeId: number, startIso: string, endIso: string, after: { at: string; id: number } | null, limit: number) {
  return db
    .selectFrom('dossiers as d')
    .innerJoin('offices as o', 'o.id', 'd.office_id')
    .select([
      'd.id', 'd.code', 'd.procedure_code', 'd.procedure_name', 'd.applicant_name', 'd.personal_id', 'd.address', 'd.phone',
      'o.name as office_name', 'd.received_at', 'd.due_at', 'd.rescheduled_due_at', 'd.result_at', 'd.returned_at',
      'd.closed_at', 'd.status', 'd.outcome', 'd.returned_to', 'd.note',
    ])
    .where('d.office_id', '=', officeId)
    .where('d.received_at', '>=', startIso)
    .where('d.received_at', '<', endIso)
    .where((eb) => (after ? eb.or([eb('d.received_at', '>', after.at), eb.and([eb('d.received_at', '=', after.at), eb('d.id', '>', after.id)])]) : eb.lit(true)))
    .where('d.intake_outcome', '=', 'accepted')
    .orderBy('d.received_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}
