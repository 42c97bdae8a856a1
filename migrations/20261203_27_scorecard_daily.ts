import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import { downPostgres, upPostgres } from './scorecard-daily-postgres.js';
import {
  backfill,
  createTables,
  localDay,
  MEASURES,
  PAID,
  refreshFiles,
  TABLES,
  WATCHED,
} from './scorecard-daily-measures.js';

// Frozen in time: never import application code here.
//
// The service index's counts (issue 34), kept by triggers like `report_daily` (migration 07): the
// scorecard used to count a year straight from the dossiers, their files and payments (seconds
// on a million dossiers). `scorecard_daily` holds, per office, local day and measure, how many
// rows each measure counted that day, and `scorecard_monthly` the same per month; a year reads a
// few thousand monthly rows. Triggers on `dossiers`, `dossier_files` (through
// `scorecard_files`, one row per dossier with a current file) and `payments` keep them exact in
// the transaction of every write. Ratings are already in `report_daily` (`rating_<level>`).
//
// Flows (the local day of the instant; R received_at; a dossier is "native" when accepted at the
// counter and not imported):
//   resolved, resolved_good         accepted, a result with an outcome (good: early or on time), on the result's day
//   received_native                 native, on the day of receipt
//   online_native                   ... filed online
//   digitised_native                ... with a current file (not replaced, not "paper only")
//   reused_native                   ... with a current paper file reused from the records
//   result_native                   native with a result, on the result's day
//   result_file_native              ... with a current result file
//   paid, paid_online               a payment paid above zero (online), on its paid_on day;
//                                   `tag` is the dossier's procedure (payments are one per dossier)
// Stocks at a local midnight D, as differences of two counts of "every instant before D" (a
// condition "X < D and Y < D" is "max(X, Y) < D"); L is the earlier of the result and the
// closing, S when the papers were asked for (status supplement_requested), U the due instant:
//   open_in max(R)                  open_out max(R, L)
//   paused_in max(R, S)             paused_out max(R, S, L)
//   overdue_in max(R, U)            overdue_out max(R, U, L)
//   paused_overdue_in max(R, S, U)  paused_overdue_out max(R, S, U, L)
// so "open at D" = open_in − open_out counted on the days before D, and so on (docs/DOMAIN.md
// "The service index": how the scorecard adds them up).

/** SQLite: adds to both tables the (office_id, day, measure, tag, n) rows `select` yields. */
const addToTables = (select: (period: (day: string) => string) => string) =>
  TABLES.map(
    ({ table, column, period }) => `
  insert into ${table} (office_id, ${column}, measure, tag, n)
  ${select(period)}
  on conflict (office_id, ${column}, measure, tag) do update set n = n + excluded.n;`,
  ).join('\n');

/** A measure's condition and instant on dossier `row` (a trigger's new/old, or a table alias). */
const on = (text: string, row: string) => text.replace(/\br\./g, `${row}.`);

/** SQLite: the files flags of dossier `id`, as a one-row subquery aliased `f`. */
const flagsOf = (id: string) => `(select coalesce(max(has_file), 0) as has_file,
    coalesce(max(has_reused), 0) as has_reused, coalesce(max(has_result), 0) as has_result
    from scorecard_files where dossier_id = ${id}) f`;

/**
 * SQLite: the (office_id, day, measure) rows dossier `row` counts in; `from` names the dossier's
 * table when `row` is its alias (with `match` picking the row), `flags` the files flags (a
 * one-row subquery aliased `f`).
 */
const sqliteMeasures = (
  row: string,
  flags: string,
  onlyFiles: boolean,
  from = '',
  match = 'true',
) =>
  MEASURES.filter((m) => !onlyFiles || m.files)
    .map((m) => {
      const sources = [from, m.files ? flags : ''].filter(Boolean).join(', ');
      return `select ${row}.office_id as office_id, ${localDay('sqlite', on(m.at('sqlite'), row))} as day, '${m.measure}' as measure${sources ? ` from ${sources}` : ''} where ${match} and ${on(m.when, row)}`;
    })
    .join('\n    union all ');

/** SQLite: adds `sign` to each measure of a dossier row (see sqliteMeasures). */
const dossierContributions = (sign: 1 | -1, measures: string) =>
  addToTables(
    (period) => `select x.office_id, ${period('x.day')}, x.measure, '', ${sign}
  from (${measures}) x where true`,
  );

/** SQLite: a trigger's payment row as a one-row subquery aliased `p`. */
const paymentRow = (row: 'new' | 'old') =>
  `(select ${row}.dossier_id as dossier_id, ${row}.state as state, ${row}.paid_amount as paid_amount, ${row}.paid_on as paid_on, ${row}.method as method) p`;

/** SQLite: adds `sign` for the payments `from` gives (alias `p`, with `match`), under the dims given. */
const paymentContributions = (
  sign: 1 | -1,
  from: string,
  match: string,
  office: string,
  procedure: string,
) =>
  addToTables(
    (period) => `select ${office}, ${period('p.paid_on')}, m.measure, ${procedure}, ${sign}
  from ${from} cross join (select 'paid' as measure union all select 'paid_online') m
  where ${match} and ${PAID} and (m.measure = 'paid' or p.method = 'online')`,
  );

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db);
  if (isPostgres(db)) return upPostgres(db);
  await backfill(db, 'sqlite');
  const flagsOfRow = (row: 'new' | 'old') =>
    `(select ${row}.has_file as has_file, ${row}.has_reused as has_reused, ${row}.has_result as has_result) f`;
  const ofDossier = (row: 'new' | 'old') =>
    dossierContributions(row === 'new' ? 1 : -1, sqliteMeasures(row, flagsOf(`${row}.id`), false));
  const ofFlags = (row: 'new' | 'old') =>
    dossierContributions(
      row === 'new' ? 1 : -1,
      sqliteMeasures('r', flagsOfRow(row), true, 'dossiers r', `r.id = ${row}.dossier_id`),
    );
  const ofPayment = (row: 'new' | 'old') =>
    paymentContributions(
      row === 'new' ? 1 : -1,
      `${paymentRow(row)} join dossiers r on r.id = p.dossier_id`,
      'true',
      'r.office_id',
      'r.procedure_code',
    );
  const paymentsOfDossier = (row: 'new' | 'old') =>
    paymentContributions(
      row === 'new' ? 1 : -1,
      'payments p',
      `p.dossier_id = ${row}.id`,
      `${row}.office_id`,
      `${row}.procedure_code`,
    );
  const changed = WATCHED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  const statements = [
    `create trigger scorecard_on_dossier_insert after insert on dossiers begin ${ofDossier('new')} end`,
    `create trigger scorecard_on_dossier_update after update of ${WATCHED.join(', ')} on dossiers
      when ${changed} begin ${ofDossier('old')} ${ofDossier('new')} end`,
    `create trigger scorecard_on_dossier_delete after delete on dossiers begin
      ${ofDossier('old')} ${paymentsOfDossier('old')} end`,
    `create trigger scorecard_on_dossier_dims after update of office_id, procedure_code on dossiers
      when old.office_id is not new.office_id or old.procedure_code is not new.procedure_code begin
      ${paymentsOfDossier('old')} ${paymentsOfDossier('new')} end`,
    `create trigger scorecard_on_flags_insert after insert on scorecard_files begin ${ofFlags('new')} end`,
    `create trigger scorecard_on_flags_update after update on scorecard_files begin
      ${ofFlags('old')} ${ofFlags('new')} end`,
    `create trigger scorecard_on_flags_delete after delete on scorecard_files begin ${ofFlags('old')} end`,
    `create trigger scorecard_on_file_insert after insert on dossier_files begin ${refreshFiles('new.dossier_id')} end`,
    `create trigger scorecard_on_file_update after update of dossier_id, component, state, replaced_at on dossier_files begin
      ${refreshFiles('old.dossier_id')} ${refreshFiles('new.dossier_id')} end`,
    `create trigger scorecard_on_file_delete after delete on dossier_files begin ${refreshFiles('old.dossier_id')} end`,
    `create trigger scorecard_on_payment_insert after insert on payments begin ${ofPayment('new')} end`,
    `create trigger scorecard_on_payment_update after update of dossier_id, state, paid_amount, paid_on, method on payments begin
      ${ofPayment('old')} ${ofPayment('new')} end`,
    `create trigger scorecard_on_payment_delete after delete on payments begin ${ofPayment('old')} end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await downPostgres(db);
  } else {
    for (const name of [
      'dossier_insert',
      'dossier_update',
      'dossier_delete',
      'dossier_dims',
      'flags_insert',
      'flags_update',
      'flags_delete',
      'file_insert',
      'file_update',
      'file_delete',
      'payment_insert',
      'payment_update',
      'payment_delete',
    ])
      await sql.raw(`drop trigger scorecard_on_${name}`).execute(db);
  }
  await sql`drop index scorecard_open_dossiers`.execute(db);
  await db.schema.dropTable('scorecard_files').execute();
  await db.schema.dropTable('scorecard_monthly').execute();
  await db.schema.dropTable('scorecard_daily').execute();
}
