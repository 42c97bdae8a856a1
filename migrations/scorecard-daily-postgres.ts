import { sql, type Kysely } from 'kysely';
import {
  backfill,
  localDay,
  MEASURES,
  PAID,
  refreshFiles,
  WATCHED,
} from './scorecard-daily-measures.js';

// Frozen in time: never import application code here. Migration 27 on PostgreSQL: the same
// rows as the SQLite triggers of 20261203_27_scorecard_daily.ts keep, by PL/pgSQL triggers.

/** The same tables as PostgreSQL keeps them: the same rows, by PL/pgSQL triggers. */
export async function upPostgres(db: Kysely<any>): Promise<void> {
  await backfill(db, 'pg');
  await sql`create function scorecard_add(p_office integer, p_day text, p_measure text, p_tag text, p_n integer)
    returns void language sql as $$
    insert into scorecard_daily (office_id, day, measure, tag, n) values (p_office, p_day, p_measure, p_tag, p_n)
      on conflict (office_id, day, measure, tag) do update set n = scorecard_daily.n + excluded.n;
    insert into scorecard_monthly (office_id, month, measure, tag, n) values (p_office, substr(p_day, 1, 7), p_measure, p_tag, p_n)
      on conflict (office_id, month, measure, tag) do update set n = scorecard_monthly.n + excluded.n;
    $$`.execute(db);
  // The (day, measure) pairs of a dossier row with its files flags: the list MEASURES above.
  const measures = MEASURES.map(
    (m) =>
      `select ${localDay('pg', m.at('pg'))}, '${m.measure}'::text where ${m.files ? '' : 'not only_files and '}${m.when.replace(/\bf\.(has_\w+)/g, 'f_$1')}`,
  ).join('\n    union all ');
  await sql
    .raw(
      `create function scorecard_measures(r dossiers, f_has_file integer, f_has_reused integer, f_has_result integer, only_files boolean)
    returns table (day text, measure text) language sql stable as $$
    ${measures}
    $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function scorecard_pay(p payments, p_office integer, p_procedure text, p_n integer)
    returns void language plpgsql as $$
    begin
      if ${PAID} then
        perform scorecard_add(p_office, p.paid_on, 'paid', p_procedure, p_n);
        if p.method = 'online' then
          perform scorecard_add(p_office, p.paid_on, 'paid_online', p_procedure, p_n);
        end if;
      end if;
    end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function scorecard_refresh_files(x integer) returns void language sql as $$ ${refreshFiles('x')} $$`,
    )
    .execute(db);
  await sql`create function scorecard_on_dossier_change() returns trigger language plpgsql as $$
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
  await sql`create function scorecard_on_flags_change() returns trigger language plpgsql as $$
    declare r dossiers; m record;
    begin
      for r in select * from dossiers where id = coalesce(new.dossier_id, old.dossier_id) loop
        if tg_op in ('UPDATE', 'DELETE') then
          for m in select * from scorecard_measures(r, old.has_file, old.has_reused, old.has_result, true) loop
            perform scorecard_add(r.office_id, m.day, m.measure, '', -1);
          end loop;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          for m in select * from scorecard_measures(r, new.has_file, new.has_reused, new.has_result, true) loop
            perform scorecard_add(r.office_id, m.day, m.measure, '', 1);
          end loop;
        end if;
      end loop;
      return null;
    end $$`.execute(db);
  await sql`create function scorecard_on_file_change() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then perform scorecard_refresh_files(old.dossier_id); end if;
      if tg_op in ('INSERT', 'UPDATE') then perform scorecard_refresh_files(new.dossier_id); end if;
      return null;
    end $$`.execute(db);
  await sql`create function scorecard_on_payment_change() returns trigger language plpgsql as $$
    declare r record;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        for r in select * from dossiers where id = old.dossier_id loop
          perform scorecard_pay(old, r.office_id, r.procedure_code, -1);
        end loop;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        for r in select * from dossiers where id = new.dossier_id loop
          perform scorecard_pay(new, r.office_id, r.procedure_code, 1);
        end loop;
      end if;
      return null;
    end $$`.execute(db);
  const watched = [...WATCHED, 'procedure_code'];
  const list = (row: string) => watched.map((c) => `${row}.${c}`).join(', ');
  for (const statement of [
    'create trigger scorecard_on_dossier after insert or delete on dossiers for each row execute function scorecard_on_dossier_change()',
    `create trigger scorecard_on_dossier_update after update of ${watched.join(', ')} on dossiers for each row
      when ((${list('old')}) is distinct from (${list('new')})) execute function scorecard_on_dossier_change()`,
    'create trigger scorecard_on_flags after insert or update or delete on scorecard_files for each row execute function scorecard_on_flags_change()',
    'create trigger scorecard_on_file after insert or update of dossier_id, component, state, replaced_at or delete on dossier_files for each row execute function scorecard_on_file_change()',
    'create trigger scorecard_on_payment after insert or update of dossier_id, state, paid_amount, paid_on, method or delete on payments for each row execute function scorecard_on_payment_change()',
  ])
    await sql.raw(statement).execute(db);
}

/** Drops the triggers and functions upPostgres made. */
export async function downPostgres(db: Kysely<any>): Promise<void> {
  for (const [name, table] of [
    ['scorecard_on_dossier', 'dossiers'],
    ['scorecard_on_dossier_update', 'dossiers'],
    ['scorecard_on_flags', 'scorecard_files'],
    ['scorecard_on_file', 'dossier_files'],
    ['scorecard_on_payment', 'payments'],
  ])
    await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
  for (const fn of [
    'scorecard_on_payment_change()',
    'scorecard_on_file_change()',
    'scorecard_on_flags_change()',
    'scorecard_on_dossier_change()',
    'scorecard_refresh_files(integer)',
    'scorecard_pay(payments, integer, text, integer)',
    'scorecard_measures(dossiers, integer, integer, integer, boolean)',
    'scorecard_add(integer, text, text, text, integer)',
  ])
    await sql.raw(`drop function ${fn}`).execute(db);
}
