import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// Số hóa (issue 31): stored files (content-addressed, SHA-256), the files of each dossier
// component and of its result, quota usage per office, and the database file store (chunks of
// bytes in the database itself, the default on PostgreSQL). Citizens' result downloads go to the
// personal-data access log, which therefore accepts an event without an account.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .createTable('stored_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'bigint', (c) => c.notNull())
    // Detected from the bytes (application/pdf, image/jpeg, image/png), never from a name.
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    // The office whose quota the bytes were counted against (given back when deleted).
    .addColumn('charged_office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A tombstone: the bytes were deleted (retention), the record of what was there stays.
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_reason', 'text')
    .execute();

  await db.schema
    .createTable('dossier_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    // The procedure's document id (as text), or 'result' for the dossier's result.
    .addColumn('component', 'text', (c) => c.notNull())
    // The document's name when the file was attached: what reuse matches on.
    .addColumn('component_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('digitised', 'reused', 'reused_result', 'paper_only')`),
    )
    .addColumn('stored_file_id', 'integer', (c) => c.references('stored_files.id'))
    // Order of this file among the current files of the component (several pages, several files).
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    // A reuse names the row it was taken from (always the digitised original, never a reuse).
    .addColumn('reused_from_id', 'integer', (c) => c.references('dossier_files.id'))
    // "Original seen, copy kept on paper": why the component is not digitised.
    .addColumn('paper_reason', 'text')
    // Until when the paper may be reused (a card's expiry), as the officer read it; local date.
    .addColumn('valid_until', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A replaced scan stays as history: nothing is deleted except by retention.
    .addColumn('replaced_at', 'text')
    .addColumn('replaced_by', 'integer', (c) => c.references('accounts.id'))
    .execute();
  await db.schema
    .createIndex('dossier_files_dossier')
    .on('dossier_files')
    .columns(['dossier_id', 'component'])
    .execute();
  await db.schema
    .createIndex('dossier_files_stored')
    .on('dossier_files')
    .column('stored_file_id')
    .execute();
  await db.schema
    .createIndex('dossier_files_created')
    .on('dossier_files')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('file_quotas')
    .addColumn('office_id', 'integer', (c) => c.primaryKey().references('offices.id'))
    .addColumn('used_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('files', 'integer', (c) => c.notNull().defaultTo(0))
    // The office's own quota; null: FILES_OFFICE_QUOTA_MB.
    .addColumn('quota_bytes', 'bigint')
    .execute();

  // The database store: an object exists once its row is committed; chunks without one are
  // leftovers of an interrupted write (removed by the next write of the same bytes).
  await db.schema
    .createTable('file_store_objects')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunks', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('file_store_chunks')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_store_chunks_pk', ['sha256', 'seq'])
    .execute();
  if (pg) {
    // Scans and PDFs are compressed already: TOAST should not try again.
    await sql`alter table file_store_chunks alter column data set storage external`.execute(db);
    await sql`alter table access_events alter column account_id drop not null`.execute(db);
  } else {
    await relaxSqliteAccessAccount(db);
  }
}

/** SQLite cannot drop a NOT NULL: the table is rebuilt, its indexes made again. */
async function relaxSqliteAccessAccount(db: Kysely<any>): Promise<void> {
  const row = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'access_events'`.execute(db);
  const create = row.rows[0]!.sql.replace(
    /"account_id" integer not null/i,
    '"account_id" integer',
  ).replace(/create table "access_events"/i, 'create table "access_events_rebuilt"');
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'access_events' and sql is not null`.execute(
    db,
  );
  await sql.raw(create).execute(db);
  await sql`insert into access_events_rebuilt select * from access_events`.execute(db);
  await sql`drop table access_events`.execute(db);
  await sql`alter table access_events_rebuilt rename to access_events`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'file_store_chunks',
    'file_store_objects',
    'file_quotas',
    'dossier_files',
    'stored_files',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
