import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// The report's sections that count the dossiers received in a period (fees, channels,
// digitisation) read every such dossier: 28,000 for one month of 20 offices on the 1,000,000-
// dossier benchmark. Through the board's index (office, day, time) each of them was a lookup of
// its table row (docs/BENCHMARKS.md "Fifth round"). Three indexes make those reads index-only:
// - dossiers_office_received_on keeps its columns first (the board's "received today" is
//   unchanged) and carries what the three sections read after them: no new index for an intake
//   to write, only a wider entry;
// - dossier_documents_dossier carries the checklist's component and tick;
// - portal_sync_rows gets an index by the time of the change: the channels section's sync lag
//   read the whole table, JSON records and all, however old.
// On PostgreSQL the carried columns are INCLUDE columns (index-only once vacuumed).
// A SQLite database that was analysed gets statistics for the new indexes (see migration 29).
const CARRIED = [
  'intake_outcome',
  'id',
  'procedure_code',
  'procedure_name',
  'receiving_channel',
  'return_channel',
  'fee_vnd',
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const carried = sql.raw(CARRIED.join(', '));
  await db.schema.dropIndex('dossiers_office_received_on').execute();
  await (
    pg
      ? sql`create index dossiers_office_received_on on dossiers (office_id, received_on, received_at) include (${carried})`
      : sql`create index dossiers_office_received_on on dossiers (office_id, received_on, received_at, ${carried})`
  ).execute(db);
  await db.schema.dropIndex('dossier_documents_dossier').execute();
  await (
    pg
      ? sql`create index dossier_documents_dossier on dossier_documents (dossier_id) include (procedure_document_id, received)`
      : sql`create index dossier_documents_dossier on dossier_documents (dossier_id, procedure_document_id, received)`
  ).execute(db);
  await (
    pg
      ? sql`create index portal_sync_rows_created on portal_sync_rows (created_at) include (stream_id, sent_at)`
      : sql`create index portal_sync_rows_created on portal_sync_rows (created_at, stream_id, sent_at)`
  ).execute(db);
  if (!pg) {
    const analysed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (analysed.rows.length > 0)
      for (const index of [
        'dossiers_office_received_on',
        'dossier_documents_dossier',
        'portal_sync_rows_created',
      ])
        await sql`analyze ${sql.raw(index)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('portal_sync_rows_created').execute();
  await db.schema.dropIndex('dossier_documents_dossier').execute();
  await db.schema
    .createIndex('dossier_documents_dossier')
    .on('dossier_documents')
    .column('dossier_id')
    .execute();
  await db.schema.dropIndex('dossiers_office_received_on').execute();
  await db.schema
    .createIndex('dossiers_office_received_on')
    .on('dossiers')
    .columns(['office_id', 'received_on', 'received_at'])
    .execute();
}
