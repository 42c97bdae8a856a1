import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// Correcting a wrong intake (issue 28, item 1): the dossier remembers when its intake was last
// corrected, so the tracking book can say so. The correction itself (before/after of each field,
// the reason) is the dossier's hash-chained event; this column only marks the row. On SQLite the
// tracking book's covering index gains it (the export reads that index alone); PostgreSQL's
// index holds the keys only and reads the rows.
const BOOK_COLUMNS = `office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name,
  applicant_name, personal_id, address, phone, due_at, rescheduled_due_at, result_at, returned_at,
  closed_at, status, outcome, returned_to, note, vehicle_kind, return_channel, vehicle_id`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('intake_corrected_at', 'text').execute();
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql
      .raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS}, intake_corrected_at)`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql.raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS})`).execute(db);
  }
  await db.schema.alterTable('dossiers').dropColumn('intake_corrected_at').execute();
}
