import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
//
// The digitisation counts of each dossier, kept by triggers: `dossier_digitisation` has one row
// per dossier with a checklist or a file, recomputed from the dossier's checklist and current
// files whenever either changes. The report's digitisation section counted these per component
// of every dossier of the period, each with a subquery for the state of its current files (a
// month of 20 offices: 94,000 components, 60 ms on the benchmark, and more with every file an
// office scans); it now reads one row per dossier.
//
// The rule is the one the report applied (docs/DOMAIN.md §11): a component of the checklist is
// handed in when ticked or with a current file; its state is its current files' strongest
// (reused_result, reused, digitised, paper_only, in that order); digitised when that state is
// digitised or reused; reused when reused; "original seen, copy on paper" when paper_only. The
// dossier's electronic result is a current digitised file of its result.

/** The state's rank: 0 reused_result … 3 paper_only (the strongest is the smallest). */
const RANK = `case f.state when 'reused_result' then 0 when 'reused' then 1 when 'digitised' then 2 when 'paper_only' then 3 else 4 end`;

/** A component of the checklist (alias `c`) with its current files' strongest rank. */
const componentsOf = (where: string) => `
  select c.dossier_id, c.received,
    (select min(${RANK}) from dossier_files f
      where f.dossier_id = c.dossier_id and f.component = cast(c.procedure_document_id as text)
        and f.replaced_at is null) as rank
  from dossier_documents c where ${where} and c.procedure_document_id is not null`;

const COUNTS = `
  coalesce(sum(case when c.received = 1 or c.rank is not null then 1 else 0 end), 0),
  coalesce(sum(case when c.rank <= 2 then 1 else 0 end), 0),
  coalesce(sum(case when c.rank <= 1 then 1 else 0 end), 0),
  coalesce(sum(case when c.rank = 3 then 1 else 0 end), 0)`;

const electronic = (id: string) =>
  `case when exists (select 1 from dossier_files rf where rf.dossier_id = ${id} and rf.component = 'result'
    and rf.state = 'digitised' and rf.replaced_at is null) then 1 else 0 end`;

/** The recomputation of one dossier's row (both engines); `id` is an expression. */
const refresh = (id: string) => `
  insert into dossier_digitisation (dossier_id, handed, digitised, reused, paper_only, electronic)
  select ${id}, ${COUNTS}, ${electronic(id)}
  from (${componentsOf(`c.dossier_id = ${id}`)}) c
  where true
  on conflict (dossier_id) do update set handed = excluded.handed, digitised = excluded.digitised,
    reused = excluded.reused, paper_only = excluded.paper_only, electronic = excluded.electronic
  where dossier_digitisation.handed <> excluded.handed or dossier_digitisation.digitised <> excluded.digitised
    or dossier_digitisation.reused <> excluded.reused or dossier_digitisation.paper_only <> excluded.paper_only
    or dossier_digitisation.electronic <> excluded.electronic;`;

/** No current file of the checklist row `row`'s component. */
const noFileFor = (row: string) =>
  `not exists (select 1 from dossier_files f where f.dossier_id = ${row}.dossier_id
    and f.component = cast(${row}.procedure_document_id as text) and f.replaced_at is null)`;

/**
 * A ticked checklist row added to a component without files (every row of an intake): one more
 * component handed in, nothing else changes, so no recomputation (an intake writes five).
 */
const addHanded = (row: string) => `
  insert into dossier_digitisation (dossier_id, handed, digitised, reused, paper_only, electronic)
  values (${row}.dossier_id, 1, 0, 0, 0, 0)
  on conflict (dossier_id) do update set handed = dossier_digitisation.handed + 1;`;

const DOCUMENT_COLUMNS = 'dossier_id, procedure_document_id, received';
const FILE_COLUMNS = 'dossier_id, component, state, replaced_at';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dossier_digitisation')
    .addColumn('dossier_id', 'integer', (c) => c.primaryKey())
    .addColumn('handed', 'integer', (c) => c.notNull())
    .addColumn('digitised', 'integer', (c) => c.notNull())
    .addColumn('reused', 'integer', (c) => c.notNull())
    .addColumn('paper_only', 'integer', (c) => c.notNull())
    .addColumn('electronic', 'integer', (c) => c.notNull())
    .execute();

  // Every dossier with a checklist, then those with only an electronic result.
  await sql
    .raw(
      `insert into dossier_digitisation (dossier_id, handed, digitised, reused, paper_only, electronic)
      select c.dossier_id, ${COUNTS}, ${electronic('c.dossier_id')}
      from (${componentsOf('true')}) c group by c.dossier_id`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into dossier_digitisation (dossier_id, handed, digitised, reused, paper_only, electronic)
      select distinct rf.dossier_id, 0, 0, 0, 0, 1 from dossier_files rf
      where rf.component = 'result' and rf.state = 'digitised' and rf.replaced_at is null
        and not exists (select 1 from dossier_digitisation g where g.dossier_id = rf.dossier_id)`,
    )
    .execute(db);

  if (isPostgres(db)) {
    await sql
      .raw(
        `create function digitisation_refresh(x integer) returns void language sql as $$ ${refresh('x')} $$`,
      )
      .execute(db);
    await sql`create function digitisation_on_change() returns trigger language plpgsql as $$
      begin
        if tg_op in ('INSERT', 'UPDATE') then perform digitisation_refresh(new.dossier_id); end if;
        if tg_op = 'DELETE' or (tg_op = 'UPDATE' and new.dossier_id <> old.dossier_id) then
          perform digitisation_refresh(old.dossier_id);
        end if;
        return null;
      end $$`.execute(db);
    await sql`create function digitisation_on_dossier_delete() returns trigger language plpgsql as $$
      begin delete from dossier_digitisation where dossier_id = old.id; return null; end $$`.execute(
      db,
    );
    await sql`create trigger digitisation_on_dossier_delete after delete on dossiers
      for each row execute function digitisation_on_dossier_delete()`.execute(db);
    await sql
      .raw(
        `create function digitisation_on_document_insert() returns trigger language plpgsql as $$
        begin
          if ${noFileFor('new')} then
            if new.received = 1 then ${addHanded('new')} end if;
          else
            perform digitisation_refresh(new.dossier_id);
          end if;
          return null;
        end $$`,
      )
      .execute(db);
    await sql`create trigger digitisation_on_document_insert after insert on dossier_documents
      for each row when (new.procedure_document_id is not null)
      execute function digitisation_on_document_insert()`.execute(db);
    await sql
      .raw(
        `create trigger digitisation_on_document after update of ${DOCUMENT_COLUMNS} or delete on dossier_documents
        for each row execute function digitisation_on_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger digitisation_on_file after insert or update of ${FILE_COLUMNS} or delete on dossier_files
        for each row execute function digitisation_on_change()`,
      )
      .execute(db);
    return;
  }
  await sql`create trigger digitisation_on_dossier_delete after delete on dossiers begin
    delete from dossier_digitisation where dossier_id = old.id; end`.execute(db);
  // A checklist row: ticked on a component without files, one more handed in; on a component
  // with files, the dossier recomputed. A file: the dossier recomputed.
  await sql
    .raw(
      `create trigger digitisation_on_document_insert after insert on dossier_documents
      when new.procedure_document_id is not null and new.received = 1 and ${noFileFor('new')}
      begin ${addHanded('new')} end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger digitisation_on_document_insert_filed after insert on dossier_documents
      when new.procedure_document_id is not null and not ${noFileFor('new')}
      begin ${refresh('new.dossier_id')} end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger digitisation_on_file_insert after insert on dossier_files begin ${refresh('new.dossier_id')} end`,
    )
    .execute(db);
  for (const [table, columns] of [
    ['dossier_documents', DOCUMENT_COLUMNS],
    ['dossier_files', FILE_COLUMNS],
  ] as const) {
    const name = table === 'dossier_documents' ? 'document' : 'file';
    await sql
      .raw(
        `create trigger digitisation_on_${name}_update after update of ${columns} on ${table} begin
        ${refresh('new.dossier_id')} end`,
      )
      .execute(db);
    // Moved to another dossier (never done by the application; a manual fix): the one it left.
    await sql
      .raw(
        `create trigger digitisation_on_${name}_move after update of dossier_id on ${table}
        when old.dossier_id <> new.dossier_id begin ${refresh('old.dossier_id')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger digitisation_on_${name}_delete after delete on ${table} begin ${refresh('old.dossier_id')} end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger digitisation_on_dossier_delete on dossiers`.execute(db);
    await sql`drop function digitisation_on_dossier_delete()`.execute(db);
    await sql`drop trigger digitisation_on_document_insert on dossier_documents`.execute(db);
    await sql`drop function digitisation_on_document_insert()`.execute(db);
    await sql`drop trigger digitisation_on_document on dossier_documents`.execute(db);
    await sql`drop trigger digitisation_on_file on dossier_files`.execute(db);
    await sql`drop function digitisation_on_change()`.execute(db);
    await sql`drop function digitisation_refresh(integer)`.execute(db);
  } else {
    await sql`drop trigger digitisation_on_dossier_delete`.execute(db);
    await sql`drop trigger digitisation_on_document_insert_filed`.execute(db);
    for (const name of ['document', 'file'])
      for (const op of ['insert', 'update', 'move', 'delete'])
        await sql.raw(`drop trigger digitisation_on_${name}_${op}`).execute(db);
  }
  await db.schema.dropTable('dossier_digitisation').execute();
}
