import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Imported tracking-book history: one row per import run, and a key per imported dossier so the
// same file imported twice adds nothing the second time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('imported_count', 'integer', (c) => c.notNull())
    .addColumn('skipped_count', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  // SQLite cannot add a UNIQUE column; a unique index over a nullable column does the same.
  await sql`alter table dossiers add column import_id integer references imports(id)`.execute(db);
  await sql`alter table dossiers add column import_key text`.execute(db);
  await db.schema
    .createIndex('dossiers_import_key')
    .on('dossiers')
    .column('import_key')
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_import_key').execute();
  await sql`alter table dossiers drop column import_key`.execute(db);
  await sql`alter table dossiers drop column import_id`.execute(db);
  await db.schema.dropTable('imports').execute();
}
