/**
 * The report counts as the first version computed them: one conditional aggregation over the
 * raw dossier rows (seconds on a million dossiers). Kept in test support as the reference the
 * daily-table counts are checked against; not used by the application.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { ReportDimension } from '../../src/reports/report-tally.js';
import type { ReportWindow } from '../../src/reports/reports.repository.js';

type Db = Kysely<Database>;

const count = (condition: RawBuilder<unknown>) =>
  sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/**
 * One row per group with every count, by conditional aggregation in one pass. Portable SQL
 * (CASE, COALESCE, ISO text comparisons), so a PostgreSQL dialect runs it unchanged.
 */
export async function countDossiersFromRows(
  db: Db,
  officeIds: number[],
  w: ReportWindow,
  dimension: ReportDimension,
) {
  const { startIso: S, endIso: E, asOfIso: A } = w;
  const accepted = sql`d.intake_outcome = 'accepted'`;
  const finishedAt = sql`coalesce(d.result_at, d.closed_at)`;
  const openAt = (instant: string) =>
    sql`${accepted} and d.received_at < ${instant} and (${finishedAt} is null or ${finishedAt} >= ${instant})`;
  const dueAt = sql`coalesce(d.rescheduled_due_at, d.due_at)`;
  const resolvedIn = sql`d.result_at >= ${S} and d.result_at < ${E}`;

  const groupColumns = {
    procedure: [
      sql<string>`d.procedure_code`.as('key'),
      sql<string>`max(d.procedure_name)`.as('label'),
    ],
    report_group: [sql<string>`d.report_group`.as('key'), sql<string>`max(rg.name)`.as('label')],
    office: [
      sql<string>`cast(d.office_id as text)`.as('key'),
      sql<string>`max(o.name)`.as('label'),
    ],
    officer: [
      sql<string>`cast(d.received_by as text)`.as('key'),
      sql<string>`max(a.full_name)`.as('label'),
    ],
  }[dimension];
  const groupBy = {
    procedure: sql`d.procedure_code`,
    report_group: sql`d.report_group`,
    office: sql`d.office_id`,
    officer: sql`d.received_by`,
  }[dimension];

  return (
    db
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
        count(sql`d.status = 'refused' and d.closed_at >= ${S} and d.closed_at < ${E}`).as(
          'refused',
        ),
        count(
          sql`d.intake_outcome = 'guided' and d.received_at >= ${S} and d.received_at < ${E}`,
        ).as('guided'),
        count(
          sql`d.status in ('withdrawn', 'stopped') and d.closed_at >= ${S} and d.closed_at < ${E}`,
        ).as('withdrawnOrStopped'),
        count(sql`${openAt(A)} and ${dueAt} >= ${A} and d.status <> 'supplement_requested'`).as(
          'inProgressWithinDeadline',
        ),
        count(sql`${openAt(A)} and ${dueAt} < ${A} and d.status <> 'supplement_requested'`).as(
          'inProgressOverdue',
        ),
        count(sql`${openAt(A)} and d.status = 'supplement_requested'`).as('awaitingSupplement'),
        count(
          sql`${accepted} and d.result_at < ${A} and (d.returned_at is null or d.returned_at >= ${A}) and d.status in ('result_ready', 'returned')`,
        ).as('awaitingPickup'),
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
      .execute()
  );
}
