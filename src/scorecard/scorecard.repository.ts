import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import type { DossierCode } from './indicators.js';

/**
 * The drill-down lists of the service index, read straight from the office's records
 * (docs/DOMAIN.md "The service index"): dossiers, their files, payments and ratings. Each dossier
 * indicator is a pair of conditions on one dossier row (`d`), its denominator and its numerator.
 * The counts come from the daily tables (scorecard-counts.repository.ts); the property test
 * checks both against a row-by-row count, so a list always has its count's rows.
 */

/** The period: local days, their instants, and the instant stocks are judged at. */
export interface IndexWindow {
  from: string;
  to: string;
  /** Local midnight of `from`, and of the day after `to` (ISO, UTC). */
  startIso: string;
  endIso: string;
  /** The end, or just after now while the period runs. */
  asOfIso: string;
}

type Condition = RawBuilder<SqlBool>;

/** The denominator's and the numerator's condition on dossier row `d` (the numerator implies it). */
export function dossierConditions(code: DossierCode, w: IndexWindow): [Condition, Condition] {
  const accepted = sql<SqlBool>`d.intake_outcome = 'accepted'`;
  const native = sql<SqlBool>`${accepted} and d.import_id is null`;
  const receivedIn = sql<SqlBool>`d.received_at >= ${w.startIso} and d.received_at < ${w.endIso}`;
  const resolvedIn = sql<SqlBool>`d.result_at >= ${w.startIso} and d.result_at < ${w.endIso}`;
  const currentFile = (extra: RawBuilder<SqlBool>) =>
    sql<SqlBool>`exists (select 1 from dossier_files f where f.dossier_id = d.id
      and f.replaced_at is null and f.state <> 'paper_only' and ${extra})`;
  const paid = (extra: RawBuilder<SqlBool>) =>
    sql<SqlBool>`exists (select 1 from payments p where p.dossier_id = d.id and p.state = 'paid'
      and p.paid_amount > 0 and p.paid_on >= ${w.from} and p.paid_on <= ${w.to} and ${extra})`;
  const rated = (extra: RawBuilder<SqlBool>) =>
    sql<SqlBool>`exists (select 1 from ratings r where r.dossier_id = d.id
      and r.at >= ${w.startIso} and r.at < ${w.endIso} and ${extra})`;
  switch (code) {
    case 'on_time': {
      // In progress at the "as of" instant: received, no result and not closed yet, not paused.
      const open = sql<SqlBool>`(d.received_at < ${w.asOfIso}
        and (d.result_at is null or d.result_at >= ${w.asOfIso})
        and (d.closed_at is null or d.closed_at >= ${w.asOfIso})
        and not (d.status = 'supplement_requested'
          and coalesce(d.supplement_requested_at, d.received_at) < ${w.asOfIso}))`;
      const resolved = sql<SqlBool>`(${resolvedIn} and d.outcome is not null)`;
      const due = sql`coalesce(d.rescheduled_due_at, d.due_at)`;
      return [
        sql<SqlBool>`${accepted} and (${resolved} or ${open})`,
        sql<SqlBool>`${accepted} and ((${resolved} and d.outcome in ('early', 'on_time'))
          or (${open} and (${due} is null or ${due} >= ${w.asOfIso})))`,
      ];
    }
    case 'online_filed':
      return [
        sql<SqlBool>`${native} and ${receivedIn}`,
        sql<SqlBool>`${native} and ${receivedIn} and d.receiving_channel = 'online'`,
      ];
    case 'digitised':
      return [
        sql<SqlBool>`${native} and ${receivedIn}`,
        sql<SqlBool>`${native} and ${receivedIn} and ${currentFile(sql<SqlBool>`1 = 1`)}`,
      ];
    case 'reused':
      return [
        sql<SqlBool>`${native} and ${receivedIn}`,
        sql<SqlBool>`${native} and ${receivedIn} and ${currentFile(
          sql<SqlBool>`f.component <> 'result' and f.state in ('reused', 'reused_result')`,
        )}`,
      ];
    case 'electronic_result':
      return [
        sql<SqlBool>`${native} and ${resolvedIn}`,
        sql<SqlBool>`${native} and ${resolvedIn} and ${currentFile(sql<SqlBool>`f.component = 'result'`)}`,
      ];
    case 'payment_dossiers':
      return [
        sql<SqlBool>`${paid(sql<SqlBool>`1 = 1`)}`,
        sql<SqlBool>`${paid(sql<SqlBool>`p.method = 'online'`)}`,
      ];
    case 'satisfaction':
      return [
        rated(sql<SqlBool>`1 = 1`),
        rated(sql<SqlBool>`r.level in ('very_satisfied', 'satisfied')`),
      ];
  }
}

export type ListSide = 'numerator' | 'denominator' | 'excluded';

/** A page of the dossiers one side of a dossier indicator counts, with whether each is in the numerator. */
export async function listDossiers(
  db: Db,
  officeIds: number[],
  w: IndexWindow,
  code: DossierCode,
  side: ListSide,
  page: { offset: number; limit: number },
) {
  if (officeIds.length === 0) return { total: 0, rows: [] };
  const [den, num] = dossierConditions(code, w);
  const where =
    side === 'numerator'
      ? num
      : side === 'denominator'
        ? den
        : sql<SqlBool>`${den} and not (${num})`;
  const base = db
    .selectFrom('dossiers as d')
    .where('d.office_id', 'in', officeIds)
    .where('d.received_at', '<', w.endIso)
    .where(where);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .innerJoin('offices as o', 'o.id', 'd.office_id')
      .select([
        'd.id',
        'd.code',
        'o.name as office_name',
        'd.procedure_name',
        'd.applicant_name',
        'd.status',
        'd.receiving_channel',
        'd.received_at',
        'd.result_at',
        'd.outcome',
        'd.due_at',
        'd.rescheduled_due_at',
        'd.supplement_requested_at',
      ])
      .select(sql<number>`case when ${num} then 1 else 0 end`.as('counts'))
      .orderBy('d.received_at')
      .orderBy('d.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({ ...r, counts: Number(r.counts) === 1 })),
  };
}
