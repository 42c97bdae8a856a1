import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { selectRowsAsArrays } from '../db/database.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/** A tracking-book row as an array, columns in this order (see findTrackingBookPage). */
export type TrackingBookRow = [
  id: number,
  code: string,
  procedureCode: string,
  procedureName: string,
  applicantName: string,
  personalId: string | null,
  address: string,
  phone: string | null,
  receivedAt: string,
  dueAt: string | null,
  rescheduledDueAt: string | null,
  resultAt: string | null,
  returnedAt: string | null,
  closedAt: string | null,
  status: string,
  outcome: string | null,
  returnedTo: string | null,
  note: string,
  vehicleKind: string | null,
  vehicleId: string | null,
  /** When the intake was corrected (the note says so). */
  intakeCorrectedAt: string | null,
];
export const BOOK_RECEIVED_AT = 8;

/**
 * One page of one office's tracking book, in receipt order (keyset on received_at, id), read
 * from the covering index dossiers_tracking_book alone, so an export never holds the connection
 * long and never touches the table. Rows come as arrays (selectRowsAsArrays).
 */
export async function findTrackingBookPage(
  db: Db,
  sqlite: SQLite.Database | null,
  officeId: number,
  startIso: string,
  endIso: string,
  after: { at: string; id: number } | null,
  limit: number,
) {
  const query = db
    .selectFrom('dossiers as d')
    .select([
      'd.id',
      'd.code',
      'd.procedure_code',
      'd.procedure_name',
      'd.applicant_name',
      'd.personal_id',
      'd.address',
      'd.phone',
      'd.received_at',
      'd.due_at',
      'd.rescheduled_due_at',
      'd.result_at',
      'd.returned_at',
      'd.closed_at',
      'd.status',
      'd.outcome',
      'd.returned_to',
      'd.note',
      'd.vehicle_kind',
      'd.vehicle_id',
      'd.intake_corrected_at',
    ])
    .where('d.office_id', '=', officeId)
    // After the first page the lower bound is a row value alone, so the index range starts at the
    // previous page's last row (with an OR, SQLite started from the period's first row on every
    // page: quadratic in the export's length).
    .where(({ eb, refTuple, tuple }) =>
      after
        ? eb(refTuple('d.received_at', 'd.id'), '>', tuple(after.at, after.id))
        : eb('d.received_at', '>=', startIso),
    )
    .where('d.received_at', '<', endIso)
    .where('d.intake_outcome', '=', 'accepted')
    .orderBy('d.received_at')
    .orderBy('d.id')
    .limit(limit);
  return selectRowsAsArrays<TrackingBookRow>(db, sqlite, query);
}
