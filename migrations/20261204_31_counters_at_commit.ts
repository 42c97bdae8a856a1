import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// PostgreSQL only. The report and scorecard counters (migrations 07 and 27) are kept by triggers
// through two functions, report_add and scorecard_add, each an upsert of one (office, day,
// measure, …) row and its month's row. An intake's INSERT into dossiers fires them at once, so
// every intake of an office locked that office's rows of the day from its first statement to its
// commit, and the office's other intakes queued behind it: on the benchmark, most of a backend's
// waits were such row locks (docs/BENCHMARKS.md, "PostgreSQL intake").
//
// Here the two functions keep their signatures and what they compute, but only append the delta
// to a pending table (no key, no conflict, no lock on a shared row) and mark the transaction. The
// mark's deferred constraint trigger runs once, at commit: it takes the transaction's pending
// deltas, sums them per row and upserts them in key order. The counter rows are now locked for
// the commit only, and always in the same order. Everything the triggers computed (which
// measures, from which row version, reading which other tables) is computed when it was before:
// only the writes to the counters move. A statement outside a transaction commits at its end,
// so what it counted is visible to the next one, as before.
//
// The pending rows are visible to their own transaction only until its commit, when they are
// deleted, so another transaction never sees or takes them. SQLite has one writer at a time and
// keeps its triggers as they are.

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create unlogged table report_pending (
      office_id integer not null, day text not null, measure text not null,
      procedure_code text not null, report_group text not null, officer_id integer not null,
      n integer not null)`.execute(db);
  await sql`create unlogged table scorecard_pending (
      office_id integer not null, day text not null, measure text not null, tag text not null,
      n integer not null)`.execute(db);
  await sql`create unlogged table counters_flush_marks (xid bigint primary key)`.execute(db);

  await sql`create or replace function report_add(p_office integer, p_day text, p_measure text, p_procedure text, p_group text, p_officer integer, p_n integer)
    returns void language sql as $$
    insert into report_pending (office_id, day, measure, procedure_code, report_group, officer_id, n)
      values (p_office, p_day, p_measure, p_procedure, p_group, p_officer, p_n);
    insert into counters_flush_marks (xid) values (txid_current()) on conflict do nothing;
    $$`.execute(db);
  await sql`create or replace function scorecard_add(p_office integer, p_day text, p_measure text, p_tag text, p_n integer)
    returns void language sql as $$
    insert into scorecard_pending (office_id, day, measure, tag, n) values (p_office, p_day, p_measure, p_tag, p_n);
    insert into counters_flush_marks (xid) values (txid_current()) on conflict do nothing;
    $$`.execute(db);

  // Runs at commit, once per transaction that counted anything (one mark each).
  await sql`create function counters_flush() returns trigger language plpgsql as $$
    begin
      delete from counters_flush_marks where xid = new.xid;
      with taken as (delete from report_pending returning *),
        summed as (
          select office_id, day, measure, procedure_code, report_group, officer_id, sum(n)::integer as n
          from taken group by 1, 2, 3, 4, 5, 6),
        daily as (
          insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
          select * from summed order by 1, 2, 3, 4, 5, 6
          on conflict (office_id, day, measure, procedure_code, report_group, officer_id)
            do update set n = report_daily.n + excluded.n)
      insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
        select office_id, substr(day, 1, 7), measure, procedure_code, report_group, officer_id, sum(n)::integer
        from summed group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
        on conflict (office_id, month, measure, procedure_code, report_group, officer_id)
          do update set n = report_monthly.n + excluded.n;
      with taken as (delete from scorecard_pending returning *),
        summed as (
          select office_id, day, measure, tag, sum(n)::integer as n from taken group by 1, 2, 3, 4),
        daily as (
          insert into scorecard_daily (office_id, day, measure, tag, n)
          select * from summed order by 1, 2, 3, 4
          on conflict (office_id, day, measure, tag) do update set n = scorecard_daily.n + excluded.n)
      insert into scorecard_monthly (office_id, month, measure, tag, n)
        select office_id, substr(day, 1, 7), measure, tag, sum(n)::integer
        from summed group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict (office_id, month, measure, tag) do update set n = scorecard_monthly.n + excluded.n;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger counters_flush_at_commit after insert on counters_flush_marks
    deferrable initially deferred for each row execute function counters_flush()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop trigger counters_flush_at_commit on counters_flush_marks`.execute(db);
  await sql`drop function counters_flush()`.execute(db);
  await sql`create or replace function report_add(p_office integer, p_day text, p_measure text, p_procedure text, p_group text, p_officer integer, p_n integer)
    returns void language sql as $$
    insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
      values (p_office, p_day, p_measure, p_procedure, p_group, p_officer, p_n)
      on conflict (office_id, day, measure, procedure_code, report_group, officer_id) do update set n = report_daily.n + excluded.n;
    insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
      values (p_office, substr(p_day, 1, 7), p_measure, p_procedure, p_group, p_officer, p_n)
      on conflict (office_id, month, measure, procedure_code, report_group, officer_id) do update set n = report_monthly.n + excluded.n;
    $$`.execute(db);
  await sql`create or replace function scorecard_add(p_office integer, p_day text, p_measure text, p_tag text, p_n integer)
    returns void language sql as $$
    insert into scorecard_daily (office_id, day, measure, tag, n) values (p_office, p_day, p_measure, p_tag, p_n)
      on conflict (office_id, day, measure, tag) do update set n = scorecard_daily.n + excluded.n;
    insert into scorecard_monthly (office_id, month, measure, tag, n) values (p_office, substr(p_day, 1, 7), p_measure, p_tag, p_n)
      on conflict (office_id, month, measure, tag) do update set n = scorecard_monthly.n + excluded.n;
    $$`.execute(db);
  await sql`drop table counters_flush_marks`.execute(db);
  await sql`drop table scorecard_pending`.execute(db);
  await sql`drop table report_pending`.execute(db);
}
