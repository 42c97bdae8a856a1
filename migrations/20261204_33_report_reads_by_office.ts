import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// Two reads of the report narrowed to the report's offices, each through an index that holds
// what it counts:
// - The portal's change rows get their stream's office (written with every change from now on,
//   copied from the streams here), and their index by time becomes one by office and time. The
//   channels section's sync lag read every office's changes of the period through the index by
//   time and looked up each one's stream to drop the other offices' (on the benchmark, 22,700
//   changes of offices outside the report: 2.6–4.3 ms of a month report that kept none).
// - The results awaiting pickup (status result_ready) get a partial index with the columns the
//   stock count reads. The count went through the status index and read each such dossier's
//   table row, every office's (1,530 rows, 2.7 ms); now it is one range per office, index only.
//   The index is partial, so an intake never writes it.
// On PostgreSQL the carried columns are INCLUDE columns (index-only once vacuumed).
// A SQLite database that was analysed gets statistics for the new indexes (see migration 29).
// The status second (constant in the index): the count names it, and a planner without
// statistics weighs an index by its leading equalities, so this one ties the board's (office,
// status, due) and wins as the covering one.
const PICKUP_KEY = 'office_id, status, procedure_code, report_group, received_by';
const PICKUP_CARRIED = 'intake_outcome, result_at, returned_at';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('portal_sync_rows')
    // No foreign key: the stream's own office_id holds it (and SQLite drops no such column).
    .addColumn('office_id', 'integer')
    .execute();
  await sql`update portal_sync_rows set office_id = (
      select s.office_id from portal_sync_streams s where s.id = portal_sync_rows.stream_id)`.execute(
    db,
  );
  await db.schema.dropIndex('portal_sync_rows_created').execute();
  await (
    pg
      ? sql`create index portal_sync_rows_office_created on portal_sync_rows (office_id, created_at) include (sent_at)`
      : sql`create index portal_sync_rows_office_created on portal_sync_rows (office_id, created_at, sent_at)`
  ).execute(db);
  await (
    pg
      ? sql`create index dossiers_awaiting_pickup on dossiers (${sql.raw(PICKUP_KEY)}) include (${sql.raw(PICKUP_CARRIED)}) where status = 'result_ready'`
      : sql`create index dossiers_awaiting_pickup on dossiers (${sql.raw(PICKUP_KEY)}, ${sql.raw(PICKUP_CARRIED)}) where status = 'result_ready'`
  ).execute(db);
  if (!pg) {
    const analysed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (analysed.rows.length > 0)
      for (const index of ['portal_sync_rows_office_created', 'dossiers_awaiting_pickup'])
        await sql`analyze ${sql.raw(index)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.dropIndex('dossiers_awaiting_pickup').execute();
  await db.schema.dropIndex('portal_sync_rows_office_created').execute();
  await (
    pg
      ? sql`create index portal_sync_rows_created on portal_sync_rows (created_at) include (stream_id, sent_at)`
      : sql`create index portal_sync_rows_created on portal_sync_rows (created_at, stream_id, sent_at)`
  ).execute(db);
  await db.schema.alterTable('portal_sync_rows').dropColumn('office_id').execute();
}
