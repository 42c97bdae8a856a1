import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
//
// Daily and monthly report counts. A month report used to aggregate the offices' raw dossier
// history at request time (seconds on a million dossiers). `report_daily` holds, per office,
// local day, procedure, report group and receiving officer, how many dossiers each "flow"
// measure counted that day, and `report_monthly` the same per month; triggers on `dossiers` and
// `ratings` keep both exact in the same transaction as every write (intake, workflow, import,
// seeds, even a manual fix), so no code path can forget them. On PostgreSQL the same triggers
// are written in PL/pgSQL (`upPostgres` below), measure for measure.
//
// Measures (the local day is the instant + 7 hours, Vietnam has no daylight saving):
//   received           accepted at the counter, on the day of receipt
//   guided             guided to complete the dossier (not accepted), on the day of receipt
//   early|on_time|late result given, by its outcome, on the day of the result
//   refused            refused (status), on the closing day
//   withdrawn_stopped  withdrawn or stopped, on the closing day
//   finished           an accepted dossier left processing (result or closing), on that day;
//                      with `received` it carries the open count from one day to another.
//   rating_<level>     a citizen's satisfaction rating, on the day it was given (ratings
//                      triggers; the dims are the rated dossier's).

/** The (day, measure) pairs a dossier row counts in; `row` is new or old inside a trigger. */
const measuresOf = (row: 'new' | 'old') => `
    select date(${row}.received_at, '+7 hours') as day, 'received' as measure where ${row}.intake_outcome = 'accepted'
    union all select date(${row}.received_at, '+7 hours'), 'guided' where ${row}.intake_outcome = 'guided'
    union all select date(${row}.result_at, '+7 hours'), ${row}.outcome where ${row}.result_at is not null and ${row}.outcome in ('early', 'on_time', 'late')
    union all select date(${row}.closed_at, '+7 hours'), 'refused' where ${row}.status = 'refused' and ${row}.closed_at is not null
    union all select date(${row}.closed_at, '+7 hours'), 'withdrawn_stopped' where ${row}.status in ('withdrawn', 'stopped') and ${row}.closed_at is not null
    union all select date(coalesce(${row}.result_at, ${row}.closed_at), '+7 hours'), 'finished'
      where ${row}.intake_outcome = 'accepted' and coalesce(${row}.result_at, ${row}.closed_at) is not null`;

/** The two report tables: the column of each one's period, and how a local day maps to it. */
const REPORT_TABLES = [
  { table: 'report_daily', column: 'day', period: (day: string) => day },
  { table: 'report_monthly', column: 'month', period: (day: string) => `substr(${day}, 1, 7)` },
] as const;

/** Adds to both report tables the rows `select` yields (given how a local day maps to the table's period). */
const addToReportTables = (select: (period: (day: string) => string) => string) =>
  sql.raw(
    REPORT_TABLES.map(
      ({ table, column, period }) => `
  insert into ${table} (office_id, ${column}, measure, procedure_code, report_group, officer_id, n)
  ${select(period)}
  on conflict (office_id, ${column}, measure, procedure_code, report_group, officer_id) do update set n = n + excluded.n;`,
    ).join('\n'),
  );

/** Adds `sign` to the daily and the monthly row of each (day, measure) a dossier row counts in. */
const contributions = (row: 'new' | 'old', sign: 1 | -1) =>
  addToReportTables(
    (
      period,
    ) => `select ${row}.office_id, ${period('x.day')}, x.measure, ${row}.procedure_code, ${row}.report_group, ${row}.received_by, ${sign}
  from (${measuresOf(row)}) as x
  where true`,
  );

/** A rating counts on the day it was given, with the rated dossier's dims. */
const ratingContribution = (row: 'new' | 'old', sign: 1 | -1) =>
  addToReportTables(
    (
      period,
    ) => `select d.office_id, ${period(`date(${row}.at, '+7 hours')`)}, 'rating_' || ${row}.level, d.procedure_code, d.report_group, d.received_by, ${sign}
  from dossiers d where d.id = ${row}.dossier_id`,
  );

/** Moves a dossier's rating along when the dossier's dims change (a manual fix, a transfer). */
const ratingOfDossier = (row: 'new' | 'old', sign: 1 | -1) =>
  addToReportTables(
    (
      period,
    ) => `select ${row}.office_id, ${period("date(r.at, '+7 hours')")}, 'rating_' || r.level, ${row}.procedure_code, ${row}.report_group, ${row}.received_by, ${sign}
  from ratings r where r.dossier_id = ${row}.id`,
  );

const WATCHED =
  'office_id, procedure_code, report_group, received_by, intake_outcome, status, received_at, result_at, outcome, closed_at';

/** The two report tables; on SQLite clustered on their key (`without rowid`). */
async function createReportTables(db: Kysely<any>): Promise<void> {
  for (const { table, column: period } of REPORT_TABLES) {
    await db.schema
      .createTable(table)
      .addColumn('office_id', 'integer', (c) => c.notNull())
      .addColumn(period, 'text', (c) => c.notNull())
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('procedure_code', 'text', (c) => c.notNull())
      .addColumn('report_group', 'text', (c) => c.notNull())
      .addColumn('officer_id', 'integer', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [
        'office_id',
        period,
        'measure',
        'procedure_code',
        'report_group',
        'officer_id',
      ])
      .$call((b) => (isPostgres(db) ? b : b.modifyEnd(sql`without rowid`)))
      .execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upPostgres(db);
  // The same counts per local day and per calendar month ('YYYY-MM' of the local day): a month
  // or a year report reads a few thousand rows instead of every day's.
  await createReportTables(db);

  // Dossiers still in processing (no result, not closed): a small covering index, so the
  // "in progress / overdue / awaiting supplement" counts never touch the finished history. It
  // leads with the two null columns so that, to the planner, it matches more equalities than
  // any office index (no table statistics are kept).
  await sql`create index dossiers_open_for_reports on dossiers
    (closed_at, result_at, office_id, procedure_code, report_group, received_by, intake_outcome, status, received_at, due_at, rescheduled_due_at, due_on, rescheduled_due_on)
    where closed_at is null and result_at is null`.execute(db);

  // The tracking book (sổ theo dõi) export reads an office's dossiers in receipt order. An
  // office's rows lie scattered among every other office's in the table, so reading them cost a
  // page per row (~20 µs); an index holding every exported column reads them in order instead
  // (measured on the benchmark database: 105,431 rows in 0.48 s instead of 2.1–2.8 s, for
  // 344 MiB of index). It starts like the index it replaces, which served the same ranges.
  await sql`drop index dossiers_office_received_at`.execute(db);
  await sql`create index dossiers_tracking_book on dossiers
    (office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name, applicant_name, personal_id, address, phone,
     due_at, rescheduled_due_at, result_at, returned_at, closed_at, status, outcome, returned_to, note)`.execute(
    db,
  );

  // The report's stock queries each read one narrow index (see reports.repository countStocks):
  // partial indexes, so "result_at is null" and "closed_at is null" have no index to wander into.
  await sql`drop index dossiers_closed_result`.execute(db);
  await sql`drop index dossiers_result_at`.execute(db);
  await sql`create index dossiers_result_at on dossiers (result_at) where result_at is not null`.execute(
    db,
  );
  await sql`create index dossiers_closed_without_result on dossiers (closed_at) where closed_at is not null and result_at is null`.execute(
    db,
  );

  await sql`insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
    select d.office_id, date(r.at, '+7 hours'), 'rating_' || r.level, d.procedure_code, d.report_group, d.received_by, count(*)
    from ratings r join dossiers d on d.id = r.dossier_id
    group by 1, 2, 3, 4, 5, 6`.execute(db);
  await sql`insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
    select office_id, day, measure, procedure_code, report_group, received_by, count(*) from (
      select office_id, procedure_code, report_group, received_by, date(received_at, '+7 hours') as day, 'received' as measure from dossiers where intake_outcome = 'accepted'
      union all select office_id, procedure_code, report_group, received_by, date(received_at, '+7 hours'), 'guided' from dossiers where intake_outcome = 'guided'
      union all select office_id, procedure_code, report_group, received_by, date(result_at, '+7 hours'), outcome from dossiers where result_at is not null and outcome in ('early', 'on_time', 'late')
      union all select office_id, procedure_code, report_group, received_by, date(closed_at, '+7 hours'), 'refused' from dossiers where status = 'refused' and closed_at is not null
      union all select office_id, procedure_code, report_group, received_by, date(closed_at, '+7 hours'), 'withdrawn_stopped' from dossiers where status in ('withdrawn', 'stopped') and closed_at is not null
      union all select office_id, procedure_code, report_group, received_by, date(coalesce(result_at, closed_at), '+7 hours'), 'finished' from dossiers
        where intake_outcome = 'accepted' and coalesce(result_at, closed_at) is not null
    ) group by office_id, day, measure, procedure_code, report_group, received_by`.execute(db);

  await sql`insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
    select office_id, substr(day, 1, 7), measure, procedure_code, report_group, officer_id, sum(n) from report_daily
    group by office_id, substr(day, 1, 7), measure, procedure_code, report_group, officer_id`.execute(
    db,
  );

  await sql`create trigger report_daily_on_insert after insert on dossiers begin ${contributions('new', 1)} end`.execute(
    db,
  );
  await sql`create trigger report_daily_on_update after update of ${sql.raw(WATCHED)} on dossiers begin
    ${contributions('old', -1)}
    ${contributions('new', 1)}
  end`.execute(db);
  await sql`create trigger report_daily_on_delete after delete on dossiers begin ${contributions('old', -1)} end`.execute(
    db,
  );
  await sql`create trigger report_daily_on_dims_update after update of office_id, procedure_code, report_group, received_by on dossiers begin
    ${ratingOfDossier('old', -1)}
    ${ratingOfDossier('new', 1)}
  end`.execute(db);
  await sql`create trigger report_daily_on_rating_insert after insert on ratings begin ${ratingContribution('new', 1)} end`.execute(
    db,
  );
  await sql`create trigger report_daily_on_rating_update after update of dossier_id, level, at on ratings begin
    ${ratingContribution('old', -1)}
    ${ratingContribution('new', 1)}
  end`.execute(db);
  await sql`create trigger report_daily_on_rating_delete after delete on ratings begin ${ratingContribution('old', -1)} end`.execute(
    db,
  );
}

/** The report tables as PostgreSQL keeps them: the same rows, by PL/pgSQL triggers. */
async function upPostgres(db: Kysely<any>): Promise<void> {
  await createReportTables(db);
  await sql`create index dossiers_open_for_reports on dossiers
    (closed_at, result_at, office_id, procedure_code, report_group, received_by, intake_outcome, status, received_at, due_at, rescheduled_due_at, due_on, rescheduled_due_on)
    where closed_at is null and result_at is null`.execute(db);
  // PostgreSQL reads the rows from the table in index order; a covering index of every exported
  // column would refuse long notes and addresses (a b-tree entry holds at most ~2.7 kB).
  await sql`drop index dossiers_office_received_at`.execute(db);
  await sql`create index dossiers_tracking_book on dossiers (office_id, received_at, id)`.execute(
    db,
  );
  await sql`drop index dossiers_closed_result`.execute(db);
  await sql`drop index dossiers_result_at`.execute(db);
  await sql`create index dossiers_result_at on dossiers (result_at) where result_at is not null`.execute(
    db,
  );
  await sql`create index dossiers_closed_without_result on dossiers (closed_at) where closed_at is not null and result_at is null`.execute(
    db,
  );

  // The local day (UTC+7, no daylight saving) of an ISO instant stored as text.
  await sql`create function report_local_day(instant text) returns text language sql immutable as $$
    select to_char((instant::timestamptz at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD') $$`.execute(
    db,
  );
  await sql`create function report_add(p_office integer, p_day text, p_measure text, p_procedure text, p_group text, p_officer integer, p_n integer)
    returns void language sql as $$
    insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
      values (p_office, p_day, p_measure, p_procedure, p_group, p_officer, p_n)
      on conflict (office_id, day, measure, procedure_code, report_group, officer_id) do update set n = report_daily.n + excluded.n;
    insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
      values (p_office, substr(p_day, 1, 7), p_measure, p_procedure, p_group, p_officer, p_n)
      on conflict (office_id, month, measure, procedure_code, report_group, officer_id) do update set n = report_monthly.n + excluded.n;
    $$`.execute(db);
  // The (day, measure) pairs a dossier row counts in: the same list as measuresOf above.
  await sql`create function report_measures(d dossiers) returns table (day text, measure text) language sql stable as $$
    select report_local_day(d.received_at), 'received' where d.intake_outcome = 'accepted'
    union all select report_local_day(d.received_at), 'guided' where d.intake_outcome = 'guided'
    union all select report_local_day(d.result_at), d.outcome where d.result_at is not null and d.outcome in ('early', 'on_time', 'late')
    union all select report_local_day(d.closed_at), 'refused' where d.status = 'refused' and d.closed_at is not null
    union all select report_local_day(d.closed_at), 'withdrawn_stopped' where d.status in ('withdrawn', 'stopped') and d.closed_at is not null
    union all select report_local_day(coalesce(d.result_at, d.closed_at)), 'finished'
      where d.intake_outcome = 'accepted' and coalesce(d.result_at, d.closed_at) is not null
    $$`.execute(db);
  await sql`create function report_on_dossier_change() returns trigger language plpgsql as $$
    declare m record; r record;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        for m in select * from report_measures(old) loop
          perform report_add(old.office_id, m.day, m.measure, old.procedure_code, old.report_group, old.received_by, -1);
        end loop;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        for m in select * from report_measures(new) loop
          perform report_add(new.office_id, m.day, m.measure, new.procedure_code, new.report_group, new.received_by, 1);
        end loop;
      end if;
      -- A dossier's ratings move with its dims (a manual fix, a transfer).
      if tg_op = 'UPDATE' and (old.office_id, old.procedure_code, old.report_group, old.received_by)
          is distinct from (new.office_id, new.procedure_code, new.report_group, new.received_by) then
        for r in select * from ratings where dossier_id = new.id loop
          perform report_add(old.office_id, report_local_day(r.at), 'rating_' || r.level, old.procedure_code, old.report_group, old.received_by, -1);
          perform report_add(new.office_id, report_local_day(r.at), 'rating_' || r.level, new.procedure_code, new.report_group, new.received_by, 1);
        end loop;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create function report_on_rating_change() returns trigger language plpgsql as $$
    declare d record;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        for d in select * from dossiers where id = old.dossier_id loop
          perform report_add(d.office_id, report_local_day(old.at), 'rating_' || old.level, d.procedure_code, d.report_group, d.received_by, -1);
        end loop;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        for d in select * from dossiers where id = new.dossier_id loop
          perform report_add(d.office_id, report_local_day(new.at), 'rating_' || new.level, d.procedure_code, d.report_group, d.received_by, 1);
        end loop;
      end if;
      return null;
    end $$`.execute(db);

  await sql`insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
    select d.office_id, report_local_day(r.at), 'rating_' || r.level, d.procedure_code, d.report_group, d.received_by, count(*)
    from ratings r join dossiers d on d.id = r.dossier_id
    group by 1, 2, 3, 4, 5, 6`.execute(db);
  await sql`insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
    select d.office_id, m.day, m.measure, d.procedure_code, d.report_group, d.received_by, count(*)
    from dossiers d cross join lateral report_measures(d) m
    group by 1, 2, 3, 4, 5, 6`.execute(db);
  await sql`insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
    select office_id, substr(day, 1, 7), measure, procedure_code, report_group, officer_id, sum(n) from report_daily
    group by 1, 2, 3, 4, 5, 6`.execute(db);

  await sql`create trigger report_daily_on_insert after insert or delete on dossiers for each row execute function report_on_dossier_change()`.execute(
    db,
  );
  await sql
    .raw(
      `create trigger report_daily_on_update after update of ${WATCHED} on dossiers for each row
    when ((${WATCHED.split(', ')
      .map((c) => `old.${c}`)
      .join(', ')}) is distinct from (${WATCHED.split(', ')
      .map((c) => `new.${c}`)
      .join(', ')}))
    execute function report_on_dossier_change()`,
    )
    .execute(db);
  await sql`create trigger report_daily_on_rating after insert or update of dossier_id, level, at or delete on ratings for each row execute function report_on_rating_change()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger report_daily_on_insert on dossiers`.execute(db);
    await sql`drop trigger report_daily_on_update on dossiers`.execute(db);
    await sql`drop trigger report_daily_on_rating on ratings`.execute(db);
    for (const fn of [
      'report_on_rating_change()',
      'report_on_dossier_change()',
      'report_measures(dossiers)',
      'report_add(integer, text, text, text, text, integer, integer)',
      'report_local_day(text)',
    ]) {
      await sql.raw(`drop function ${fn}`).execute(db);
    }
  }
  const sqliteTriggers = [
    'report_daily_on_insert',
    'report_daily_on_update',
    'report_daily_on_delete',
    'report_daily_on_dims_update',
    'report_daily_on_rating_insert',
    'report_daily_on_rating_update',
    'report_daily_on_rating_delete',
  ];
  for (const name of isPostgres(db) ? [] : sqliteTriggers) {
    await sql`drop trigger ${sql.raw(name)}`.execute(db);
  }
  await sql`drop index dossiers_open_for_reports`.execute(db);
  await sql`drop index dossiers_tracking_book`.execute(db);
  await sql`create index dossiers_office_received_at on dossiers (office_id, received_at, id)`.execute(
    db,
  );
  await sql`drop index dossiers_closed_without_result`.execute(db);
  await sql`drop index dossiers_result_at`.execute(db);
  await sql`create index dossiers_result_at on dossiers (result_at)`.execute(db);
  await sql`create index dossiers_closed_result on dossiers (closed_at, result_at)`.execute(db);
  await db.schema.dropTable('report_monthly').execute();
  await db.schema.dropTable('report_daily').execute();
}
