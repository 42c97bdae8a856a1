import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// PostgreSQL only. Since migration 31 every counted change appends its deltas to the pending
// tables, and a deferred trigger sums them into the counters at commit, so that a transaction
// holds no counter row until it commits. An accepted intake already holds its office's daily
// number until it commits, and since the eighteenth round its rows and its COMMIT go in one round
// trip: counting its new dossier straight into the counters holds those rows no longer than the
// sum at commit would, and saves the pending rows, the mark and the sum (about 0.3 ms of the
// server's CPU an intake). The intake's number statement sets `motcua.counters` to 'direct' for
// its transaction; a dossier inserted there is counted by the two direct triggers below, in the
// order the sum at commit takes the rows (report before scorecard, day before month, key order),
// so an intake and another transaction's sum cannot deadlock. Every other insert, and every
// update and delete, counts as before.

const DIRECT = "current_setting('motcua.counters', true) = 'direct'";

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create function report_direct_on_dossier_insert() returns trigger language plpgsql as $$
    begin
      with m as (
          select m.day, m.measure, count(*)::integer as n from report_measures(new) m group by 1, 2),
        daily as (
          insert into report_daily (office_id, day, measure, procedure_code, report_group, officer_id, n)
          select new.office_id, m.day, m.measure, new.procedure_code, new.report_group, new.received_by, m.n
          from m order by 2, 3
          on conflict (office_id, day, measure, procedure_code, report_group, officer_id)
            do update set n = report_daily.n + excluded.n)
      insert into report_monthly (office_id, month, measure, procedure_code, report_group, officer_id, n)
        select new.office_id, substr(m.day, 1, 7), m.measure, new.procedure_code, new.report_group,
          new.received_by, sum(m.n)::integer
        from m group by 2, 3 order by 2, 3
        on conflict (office_id, month, measure, procedure_code, report_group, officer_id)
          do update set n = report_monthly.n + excluded.n;
      return null;
    end $$`.execute(db);
  await sql`create function scorecard_direct_on_dossier_insert() returns trigger language plpgsql as $$
    declare f record;
    begin
      select coalesce(max(has_file), 0) as has_file, coalesce(max(has_reused), 0) as has_reused,
        coalesce(max(has_result), 0) as has_result into f from scorecard_files where dossier_id = new.id;
      with m as (
          select m.day, m.measure, count(*)::integer as n
          from scorecard_measures(new, f.has_file, f.has_reused, f.has_result, false) m group by 1, 2),
        daily as (
          insert into scorecard_daily (office_id, day, measure, tag, n)
          select new.office_id, m.day, m.measure, '', m.n from m order by 2, 3
          on conflict (office_id, day, measure, tag) do update set n = scorecard_daily.n + excluded.n)
      insert into scorecard_monthly (office_id, month, measure, tag, n)
        select new.office_id, substr(m.day, 1, 7), m.measure, '', sum(m.n)::integer
        from m group by 2, 3 order by 2, 3
        on conflict (office_id, month, measure, tag) do update set n = scorecard_monthly.n + excluded.n;
      return null;
    end $$`.execute(db);
  for (const [name, fn, direct] of [
    ['report_daily_on_insert', 'report_on_dossier_change', 'report_direct_on_dossier_insert'],
    ['scorecard_on_dossier', 'scorecard_on_dossier_change', 'scorecard_direct_on_dossier_insert'],
  ]) {
    await sql.raw(`drop trigger ${name} on dossiers`).execute(db);
    await sql
      .raw(
        `create trigger ${name}_delete after delete on dossiers for each row execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name} after insert on dossiers for each row when (not coalesce(${DIRECT}, false)) execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name}_direct after insert on dossiers for each row when (${DIRECT}) execute function ${direct}()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const [name, fn, direct] of [
    ['report_daily_on_insert', 'report_on_dossier_change', 'report_direct_on_dossier_insert'],
    ['scorecard_on_dossier', 'scorecard_on_dossier_change', 'scorecard_direct_on_dossier_insert'],
  ]) {
    for (const trigger of [`${name}_direct`, name, `${name}_delete`])
      await sql.raw(`drop trigger ${trigger} on dossiers`).execute(db);
    await sql
      .raw(
        `create trigger ${name} after insert or delete on dossiers for each row execute function ${fn}()`,
      )
      .execute(db);
    await sql.raw(`drop function ${direct}()`).execute(db);
  }
}
