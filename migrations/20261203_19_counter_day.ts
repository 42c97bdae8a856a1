import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// A working day at the counter (issue 28):
// - the tracking book's covering index (SQLite) gains the plate, which the export now prints.
const BOOK_COLUMNS = `office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name,
  applicant_name, personal_id, address, phone, due_at, rescheduled_due_at, result_at, returned_at,
  closed_at, status, outcome, returned_to, note, vehicle_kind, return_channel`;

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql
      .raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS}, vehicle_id)`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql.raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS})`).execute(db);
  }
}
