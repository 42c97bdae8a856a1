import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// PostgreSQL only. The dossier's report and scorecard triggers (migrations 07 and 27) loop over
// the measures a row version counts and call report_add or scorecard_add for each; since
// migration 31 each call runs two statements (the pending delta, and the transaction's mark).
// On the benchmark's intake the two triggers took 0.7–0.8 ms of the backend's CPU, a quarter
// of its whole intake. Here each side of a change is one INSERT … SELECT of all its measures
// into the pending table, and the mark one statement when anything was counted. The measures,
// the row versions they are read from and the deltas are the same; the ratings' part of the
// report trigger is kept as it was.

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create or replace function report_on_dossier_change() returns trigger language plpgsql as $$
    declare r record; counted boolean := false;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into report_pending (office_id, day, measure, procedure_code, report_group, officer_id, n)
          select old.office_id, m.day, m.measure, old.procedure_code, old.report_group, old.received_by, -1
          from report_measures(old) m;
        counted := counted or found;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into report_pending (office_id, day, measure, procedure_code, report_group, officer_id, n)
          select new.office_id, m.day, m.measure, new.procedure_code, new.report_group, new.received_by, 1
          from report_measures(new) m;
        counted := counted or found;
      end if;
      if counted then
        insert into counters_flush_marks (xid) values (txid_current()) on conflict do nothing;
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
  await sql`create or replace function scorecard_on_dossier_change() returns trigger language plpgsql as $$
    declare f record; p payments; counted boolean := false;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        select coalesce(max(has_file), 0) as has_file, coalesce(max(has_reused), 0) as has_reused,
          coalesce(max(has_result), 0) as has_result into f from scorecard_files where dossier_id = old.id;
        insert into scorecard_pending (office_id, day, measure, tag, n)
          select old.office_id, m.day, m.measure, '', -1
          from scorecard_measures(old, f.has_file, f.has_reused, f.has_result, false) m;
        counted := counted or found;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        select coalesce(max(has_file), 0) as has_file, coalesce(max(has_reused), 0) as has_reused,
          coalesce(max(has_result), 0) as has_result into f from scorecard_files where dossier_id = new.id;
        insert into scorecard_pending (office_id, day, measure, tag, n)
          select new.office_id, m.day, m.measure, '', 1
          from scorecard_measures(new, f.has_file, f.has_reused, f.has_result, false) m;
        counted := counted or found;
      end if;
      if counted then
        insert into counters_flush_marks (xid) values (txid_current()) on conflict do nothing;
      end if;
      -- A dossier's payment moves with its office and procedure; it leaves with the dossier.
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and (old.office_id, old.procedure_code)
          is distinct from (new.office_id, new.procedure_code)) then
        for p in select * from payments where dossier_id = old.id loop
          perform scorecard_pay(p, old.office_id, old.procedure_code, -1);
          if tg_op = 'UPDATE' then
            perform scorecard_pay(p, new.office_id, new.procedure_code, 1);
          end if;
        end loop;
      end if;
      return null;
    end $$`.execute(db);
}

/** The loops of migrations 07 and 27 again. */
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create or replace function report_on_dossier_change() returns trigger language plpgsql as $$
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
  await sql`create or replace function scorecard_on_dossier_change() returns trigger language plpgsql as $$
    declare m record; f record; p payments;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        select coalesce(max(has_file), 0) as has_file, coalesce(max(has_reused), 0) as has_reused,
          coalesce(max(has_result), 0) as has_result into f from scorecard_files where dossier_id = old.id;
        for m in select * from scorecard_measures(old, f.has_file, f.has_reused, f.has_result, false) loop
          perform scorecard_add(old.office_id, m.day, m.measure, '', -1);
        end loop;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        select coalesce(max(has_file), 0) as has_file, coalesce(max(has_reused), 0) as has_reused,
          coalesce(max(has_result), 0) as has_result into f from scorecard_files where dossier_id = new.id;
        for m in select * from scorecard_measures(new, f.has_file, f.has_reused, f.has_result, false) loop
          perform scorecard_add(new.office_id, m.day, m.measure, '', 1);
        end loop;
      end if;
      -- A dossier's payment moves with its office and procedure; it leaves with the dossier.
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and (old.office_id, old.procedure_code)
          is distinct from (new.office_id, new.procedure_code)) then
        for p in select * from payments where dossier_id = old.id loop
          perform scorecard_pay(p, old.office_id, old.procedure_code, -1);
          if tg_op = 'UPDATE' then
            perform scorecard_pay(p, new.office_id, new.procedure_code, 1);
          end if;
        end loop;
      end if;
      return null;
    end $$`.execute(db);
}
