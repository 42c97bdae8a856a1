import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here. The measures of migration 27
// (20261203_27_scorecard_daily.ts, which explains them), shared by its SQLite triggers, its
// PostgreSQL functions (scorecard-daily-postgres.ts) and its backfill.

export type Dialect = 'sqlite' | 'pg';

export interface Measure {
  measure: string;
  /** The instant whose local day the row counts on (row alias `r`). */
  at: (d: Dialect) => string;
  when: string;
  /** Depends on the dossier's files (alias `f`: has_file, has_reused, has_result). */
  files?: true;
}

const L = (d: Dialect) =>
  d === 'pg'
    ? 'least(r.result_at, r.closed_at)'
    : 'coalesce(min(r.result_at, r.closed_at), r.result_at, r.closed_at)';
const U = 'coalesce(r.rescheduled_due_at, r.due_at)';
const S = 'coalesce(r.supplement_requested_at, r.received_at)';
const max = (d: Dialect, ...xs: string[]) => `${d === 'pg' ? 'greatest' : 'max'}(${xs.join(', ')})`;
const ACCEPTED = "r.intake_outcome = 'accepted'";
const NATIVE = `${ACCEPTED} and r.import_id is null`;
const PAUSED = `${ACCEPTED} and r.status = 'supplement_requested'`;
const LEFT = 'coalesce(r.result_at, r.closed_at) is not null';
const DUE = `${U} is not null`;

export const MEASURES: Measure[] = [
  {
    measure: 'resolved',
    at: () => 'r.result_at',
    when: `${ACCEPTED} and r.result_at is not null and r.outcome is not null`,
  },
  {
    measure: 'resolved_good',
    at: () => 'r.result_at',
    when: `${ACCEPTED} and r.result_at is not null and r.outcome in ('early', 'on_time')`,
  },
  { measure: 'received_native', at: () => 'r.received_at', when: NATIVE },
  {
    measure: 'online_native',
    at: () => 'r.received_at',
    when: `${NATIVE} and r.receiving_channel = 'online'`,
  },
  {
    measure: 'digitised_native',
    at: () => 'r.received_at',
    when: `${NATIVE} and f.has_file = 1`,
    files: true,
  },
  {
    measure: 'reused_native',
    at: () => 'r.received_at',
    when: `${NATIVE} and f.has_reused = 1`,
    files: true,
  },
  {
    measure: 'result_native',
    at: () => 'r.result_at',
    when: `${NATIVE} and r.result_at is not null`,
  },
  {
    measure: 'result_file_native',
    at: () => 'r.result_at',
    when: `${NATIVE} and r.result_at is not null and f.has_result = 1`,
    files: true,
  },
  { measure: 'open_in', at: () => 'r.received_at', when: ACCEPTED },
  {
    measure: 'open_out',
    at: (d) => max(d, 'r.received_at', L(d)),
    when: `${ACCEPTED} and ${LEFT}`,
  },
  { measure: 'paused_in', at: (d) => max(d, 'r.received_at', S), when: PAUSED },
  {
    measure: 'paused_out',
    at: (d) => max(d, 'r.received_at', S, L(d)),
    when: `${PAUSED} and ${LEFT}`,
  },
  { measure: 'overdue_in', at: (d) => max(d, 'r.received_at', U), when: `${ACCEPTED} and ${DUE}` },
  {
    measure: 'overdue_out',
    at: (d) => max(d, 'r.received_at', U, L(d)),
    when: `${ACCEPTED} and ${DUE} and ${LEFT}`,
  },
  {
    measure: 'paused_overdue_in',
    at: (d) => max(d, 'r.received_at', S, U),
    when: `${PAUSED} and ${DUE}`,
  },
  {
    measure: 'paused_overdue_out',
    at: (d) => max(d, 'r.received_at', S, U, L(d)),
    when: `${PAUSED} and ${DUE} and ${LEFT}`,
  },
];

/** The dossier columns the measures read: an update of any other column changes no count. */
export const WATCHED = [
  'office_id',
  'intake_outcome',
  'import_id',
  'receiving_channel',
  'status',
  'received_at',
  'result_at',
  'outcome',
  'closed_at',
  'due_at',
  'rescheduled_due_at',
  'supplement_requested_at',
];

export const localDay = (d: Dialect, at: string) =>
  d === 'pg' ? `report_local_day(${at})` : `date(${at}, '+7 hours')`;

/** A payment's rows: paid above zero, on its day, under the dossier's procedure (alias `p`). */
export const PAID = "p.state = 'paid' and p.paid_amount > 0 and p.paid_on is not null";

export const TABLES = [
  { table: 'scorecard_daily', column: 'day', period: (day: string) => day },
  { table: 'scorecard_monthly', column: 'month', period: (day: string) => `substr(${day}, 1, 7)` },
] as const;

/** The recomputation of a dossier's row of `scorecard_files` from its files (both engines). */
export const refreshFiles = (id: string) => `
  delete from scorecard_files where dossier_id = ${id} and not exists (select 1 from dossier_files
    where dossier_id = ${id} and replaced_at is null and state <> 'paper_only');
  insert into scorecard_files (dossier_id, has_file, has_reused, has_result)
    select dossier_id, 1,
      max(case when component <> 'result' and state in ('reused', 'reused_result') then 1 else 0 end),
      max(case when component = 'result' then 1 else 0 end)
    from dossier_files where dossier_id = ${id} and replaced_at is null and state <> 'paper_only'
    group by dossier_id
    on conflict (dossier_id) do update set has_reused = excluded.has_reused, has_result = excluded.has_result
      where scorecard_files.has_reused <> excluded.has_reused or scorecard_files.has_result <> excluded.has_result;`;

export async function createTables(db: Kysely<any>): Promise<void> {
  for (const { table, column } of TABLES) {
    await db.schema
      .createTable(table)
      .addColumn('office_id', 'integer', (c) => c.notNull())
      .addColumn(column, 'text', (c) => c.notNull())
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['office_id', column, 'measure', 'tag'])
      .$call((b) => (isPostgres(db) ? b : b.modifyEnd(sql`without rowid`)))
      .execute();
  }
  // The running period's stock is read from the dossiers in processing (scorecard-counts
  // repository): every column it reads, on the few thousand open rows, so no row is visited.
  await sql`create index scorecard_open_dossiers on dossiers
    (closed_at, result_at, office_id, intake_outcome, received_at, status, supplement_requested_at, outcome, due_at, rescheduled_due_at)
    where closed_at is null and result_at is null`.execute(db);
  await db.schema
    .createTable('scorecard_files')
    .addColumn('dossier_id', 'integer', (c) => c.primaryKey())
    .addColumn('has_file', 'integer', (c) => c.notNull())
    .addColumn('has_reused', 'integer', (c) => c.notNull())
    .addColumn('has_result', 'integer', (c) => c.notNull())
    .execute();
}

/** Every existing row's contributions, grouped: one pass over the dossiers, one over payments. */
export async function backfill(db: Kysely<any>, d: Dialect): Promise<void> {
  await sql
    .raw(
      `insert into scorecard_files (dossier_id, has_file, has_reused, has_result)
    select dossier_id, 1,
      max(case when component <> 'result' and state in ('reused', 'reused_result') then 1 else 0 end),
      max(case when component = 'result' then 1 else 0 end)
    from dossier_files where replaced_at is null and state <> 'paper_only' group by dossier_id`,
    )
    .execute(db);
  // Each dossier crossed with the measures' numbers (dossiers the outer loop: one scan).
  const cases = (pick: (m: Measure) => string) =>
    `case m.k ${MEASURES.map((m, i) => `when ${i} then ${pick(m)}`).join(' ')} end`;
  const numbers = MEASURES.map((_, i) => `select ${i} as k`).join(' union all ');
  await sql
    .raw(
      `insert into scorecard_daily (office_id, day, measure, tag, n)
    select office_id, day, measure, '', count(*) from (
      select r.office_id, ${localDay(
        d,
        cases((m) => m.at(d)),
      )} as day,
        ${cases((m) => `'${m.measure}'`)} as measure
      from dossiers r left join scorecard_files f on f.dossier_id = r.id cross join (${numbers}) m
      where ${cases((m) => `(${m.when})`)}
    ) x group by office_id, day, measure`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into scorecard_daily (office_id, day, measure, tag, n)
    select r.office_id, p.paid_on, m.measure, r.procedure_code, count(*)
    from payments p join dossiers r on r.id = p.dossier_id
      cross join (select 'paid' as measure union all select 'paid_online') m
    where ${PAID} and (m.measure = 'paid' or p.method = 'online')
    group by r.office_id, p.paid_on, m.measure, r.procedure_code`,
    )
    .execute(db);
  await sql`insert into scorecard_monthly (office_id, month, measure, tag, n)
    select office_id, substr(day, 1, 7), measure, tag, sum(n) from scorecard_daily
    group by office_id, substr(day, 1, 7), measure, tag`.execute(db);
}
