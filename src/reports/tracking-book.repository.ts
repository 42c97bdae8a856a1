import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { selectRowsAsArrays } from '../db/database.js';
import { readAndEncodeOnWorkers, readWorkerCount } from '../db/sqlite-read-workers.js';
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
  after: BookKey | null,
  limit: number,
) {
  return selectRowsAsArrays<TrackingBookRow>(
    db,
    sqlite,
    trackingBookPageQuery(db, officeId, startIso, endIso, after, limit),
  );
}

/** How many read workers can read and encode the book's pages (0: none, read here). */
export function trackingBookReadWorkers(db: Db): number {
  return readWorkerCount(db);
}

/** Bytes deflated as a piece of a ZIP entry, with the CRC-32 and the length of what they hold. */
export interface DeflatedPiece {
  packed: Uint8Array;
  crc: number;
  size: number;
}

/**
 * A page of the book, read and encoded (CSV lines, sheet rows): how many rows, the last key,
 * and the text (as encoded here, as UTF-8 bytes from a worker, or deflated by the worker).
 */
export interface EncodedBookPage {
  count: number;
  last: BookKey | null;
  payload: Uint8Array | string | DeflatedPiece;
}

/**
 * A page of the book as findTrackingBookPage reads it, turned into text by `encoder`: on a read
 * worker when `encoder.module` names the compiled module that exports `encoder.task` (the
 * worker hands back UTF-8 bytes), else here with `encoder.encode`. The text is the same.
 */
export async function findEncodedTrackingBookPage<I>(
  db: Db,
  sqlite: SQLite.Database | null,
  officeId: number,
  startIso: string,
  endIso: string,
  after: BookKey | null,
  limit: number,
  encoder: {
    module: string | null;
    task: string;
    encode: (rows: TrackingBookRow[], input: I) => Uint8Array | string;
    input: I;
    /** On a worker, deflate the text at this level as a piece of a ZIP entry. */
    deflate?: number;
  },
): Promise<EncodedBookPage> {
  const query = trackingBookPageQuery(db, officeId, startIso, endIso, after, limit);
  const keyOf = (row: TrackingBookRow): BookKey => ({
    at: row[BOOK_RECEIVED_AT],
    id: Number(row[0]),
  });
  const encoded = encoder.module
    ? await readAndEncodeOnWorkers(
        db,
        query.compile(),
        { module: encoder.module, task: encoder.task, deflate: encoder.deflate },
        encoder.input,
      )
    : null;
  if (encoded) {
    const last = encoded.last as TrackingBookRow | null;
    const { bytes, deflated } = encoded;
    return {
      count: encoded.count,
      last: last && keyOf(last),
      payload: deflated ? { packed: bytes, ...deflated } : bytes,
    };
  }
  const rows = await selectRowsAsArrays<TrackingBookRow>(db, sqlite, query);
  const last = rows.at(-1);
  return {
    count: rows.length,
    last: last ? keyOf(last) : null,
    payload: encoder.encode(rows, encoder.input),
  };
}

/** A row's place in the book: received_at, then id. */
export interface BookKey {
  at: string;
  id: number;
}

/** The statement of findTrackingBookPage, for a caller that runs it elsewhere (a read worker). */
export function trackingBookPageQuery(
  db: Db,
  officeId: number,
  startIso: string,
  endIso: string,
  after: BookKey | null,
  limit: number,
) {
  return (
    db
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
      .limit(limit)
  );
}

/**
 * The keys of the rows that end each full page of `page` rows of one office's book (rows
 * `page`, 2 × `page`, …): where each page after the first starts, known before any is read, so
 * that pages can be read side by side. From the same covering index, keys only.
 *
 * A walk, one short statement a page: each end is the `page`-th row after the one before
 * (keyset, as the pages themselves are read). One statement numbering the whole period's rows
 * with row_number() took 5.7 ms for a district's year (12,300 rows) on SQLite, before any page
 * could start; the walk steps over the same index entries in 1.5 ms (docs/BENCHMARKS.md).
 */
export async function findTrackingBookPageEnds(
  db: Db,
  officeId: number,
  startIso: string,
  endIso: string,
  page: number,
): Promise<BookKey[]> {
  const ends: BookKey[] = [];
  let after: BookKey | null = null;
  for (;;) {
    const row = await db
      .selectFrom('dossiers as d')
      .select(['d.received_at as at', 'd.id as id'])
      .where('d.office_id', '=', officeId)
      .where(({ eb, refTuple, tuple }) =>
        after
          ? eb(refTuple('d.received_at', 'd.id'), '>', tuple(after.at, after.id))
          : eb('d.received_at', '>=', startIso),
      )
      .where('d.received_at', '<', endIso)
      .where('d.intake_outcome', '=', 'accepted')
      .orderBy('d.received_at')
      .orderBy('d.id')
      .limit(1)
      .offset(page - 1)
      .executeTakeFirst();
    if (!row) return ends;
    after = { at: row.at, id: Number(row.id) };
    ends.push(after);
  }
}
