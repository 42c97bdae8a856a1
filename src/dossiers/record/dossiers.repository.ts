import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { lockChain, nextIds } from '../../db/chains.js';
import { precompiledInsert } from '../../db/precompiled.js';
import type {
  DossierDocumentTable,
  DossierEventTable,
  DossierRow,
  DossierTable,
} from '../../db/schema.js';
import { dossierEventHash } from '../../audit/event-hash.js';

/**
 * All SQL on the dossiers feature's tables: dossiers, dossier_documents and dossier_events (the
 * daily numbers, code_sequences, are in daily-numbers.repository.ts). Mutators take the caller's
 * transaction (`Tx`).
 */

const insertDossierRows = precompiledInsert('dossiers', { returningAll: true });
// A dossier whose id was reserved: nothing reads its row back, which is built here instead.
const insertReservedDossierRows = precompiledInsert('dossiers', { deferrable: true });
const insertDocumentRows = precompiledInsert('dossier_documents', { deferrable: true });
const insertEventRows = precompiledInsert('dossier_events');
const insertFirstEventRows = precompiledInsert('dossier_events', { deferrable: true });

/**
 * Every column of a dossier's row, in the table's order, with the value an INSERT that does not
 * name it stores (its default); undefined where the INSERT must name it. A test compares the
 * row built from it with the stored one on both engines, so a new column cannot be missed.
 */
const NEW_DOSSIER_ROW = {
  id: undefined,
  code: null,
  lookup_key_hash: null,
  office_id: undefined,
  procedure_id: undefined,
  procedure_code: undefined,
  procedure_name: undefined,
  report_group: undefined,
  processing_days: undefined,
  intake_outcome: undefined,
  status: undefined,
  applicant_name: undefined,
  applicant_name_folded: undefined,
  personal_id: null,
  birth_date: null,
  sex: null,
  phone: null,
  address: '',
  vehicle_kind: null,
  vehicle_id: null,
  note: '',
  received_at: undefined,
  received_on: undefined,
  received_by: undefined,
  due_on: null,
  due_at: null,
  due_explanation: null,
  rescheduled_due_on: null,
  rescheduled_due_at: null,
  supplement_requested_at: null,
  result_at: null,
  result_on: null,
  outcome: null,
  returned_at: null,
  returned_to: null,
  closed_at: null,
  refusal_reason: null,
  form_token: null,
  version: 1,
  created_at: undefined,
  updated_at: undefined,
  import_id: null,
  import_key: null,
  anonymised_at: null,
  vehicle_frame_no: null,
  vehicle_engine_no: null,
  vehicle_brand: null,
  vehicle_colour: null,
  email: null,
  receiving_channel: 'counter',
  return_channel: 'counter',
  fee_vnd: null,
  notify_channels: '',
  ticket_id: null,
  intake_corrected_at: null,
  post_tracking_code: null,
  post_address: null,
  post_dispatched_at: null,
  post_delivered_on: null,
} satisfies Record<keyof DossierRow, unknown>;

/** The row an INSERT of `dossier` with id `id` stores (see NEW_DOSSIER_ROW). */
export function newDossierRow(id: number, dossier: Insertable<DossierTable>): DossierRow {
  const row: Record<string, unknown> = { ...NEW_DOSSIER_ROW };
  for (const [column, value] of Object.entries(dossier))
    if (value !== undefined && column in row) row[column] = value;
  row.id = id;
  for (const [column, value] of Object.entries(row))
    if (value === undefined) throw new Error(`a new dossier needs its ${column}`);
  return row as DossierRow;
}

/**
 * Inserts a dossier and returns the stored row (defaults and id included). With an id reserved
 * beforehand (`allocateDailySequenceAndIds` on PostgreSQL) the INSERT is a deferrable write,
 * sent with the intake's other rows, and the row is built from what was inserted.
 */
export async function insertDossier(
  tx: Tx,
  dossier: Insertable<DossierTable>,
  reservedId?: number,
): Promise<DossierRow> {
  if (reservedId === undefined) {
    const [row] = await insertDossierRows(tx, [dossier]);
    return row!;
  }
  const row = newDossierRow(reservedId, dossier);
  await insertReservedDossierRows(tx, [{ ...dossier, id: reservedId }]);
  return row;
}

export async function insertDossierDocuments(
  tx: Tx,
  documents: Insertable<DossierDocumentTable>[],
): Promise<void> {
  if (documents.length > 0) await insertDocumentRows(tx, documents);
}

/** A corrected intake's papers: the checklist of its (possibly new) procedure, replacing the old. */
export async function replaceDossierDocuments(
  tx: Tx,
  dossierId: number,
  documents: Insertable<DossierDocumentTable>[],
): Promise<void> {
  await tx.deleteFrom('dossier_documents').where('dossier_id', '=', dossierId).execute();
  await insertDossierDocuments(tx, documents);
}

export type NewDossierEvent = Omit<Insertable<DossierEventTable>, 'id' | 'prev_hash' | 'hash'>;

/** The stored row of an event: its content with the given id, chained to `prevHash`. */
function chainedEvent(id: number, event: NewDossierEvent, prevHash: string) {
  const content = {
    id,
    dossier_id: event.dossier_id,
    at: event.at,
    actor_account_id: event.actor_account_id ?? null,
    actor_name: event.actor_name,
    action: event.action,
    from_status: event.from_status ?? null,
    to_status: event.to_status ?? null,
    note: event.note ?? '',
    details: event.details ?? '{}',
  };
  return { ...content, prev_hash: prevHash, hash: dossierEventHash(content, prevHash) };
}

/** Appends an event to the dossier's hash chain (see audit/event-hash.ts). */
export async function insertDossierEvent(tx: Tx, event: NewDossierEvent): Promise<void> {
  await lockChain(tx, 'dossier_events', event.dossier_id);
  const previous = await tx
    .selectFrom('dossier_events')
    .select('hash')
    .where('dossier_id', '=', event.dossier_id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const [id] = await nextIds(tx, 'dossier_events', 1);
  await insertEventRows(tx, [chainedEvent(id!, event, previous?.hash ?? '')]);
}

/**
 * Starts the hash chains of many new dossiers at once (one first event each, so every previous
 * hash is empty). Must run inside the transaction that created the dossiers: nobody else can
 * append to their chains before it commits.
 */
export async function insertFirstDossierEvents(
  tx: Tx,
  events: NewDossierEvent[],
  reserved?: readonly number[],
): Promise<void> {
  if (events.length === 0) return;
  if (reserved && reserved.length !== events.length)
    throw new Error(`${reserved.length} event ids reserved for ${events.length} events`);
  const ids = reserved ?? (await nextIds(tx, 'dossier_events', events.length));
  await insertFirstEventRows(
    tx,
    events.map((event, i) => chainedEvent(ids[i]!, event, '')),
  );
}

/**
 * Updates a dossier only if nobody changed it since `version` was read (optimistic locking).
 * Returns false when the version moved on.
 */
export async function updateDossierAtVersion(
  tx: Tx,
  id: number,
  version: number,
  patch: Updateable<DossierTable>,
): Promise<boolean> {
  const result = await tx
    .updateTable('dossiers')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findDossierByCode(db: Db, code: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
}

/** A dossier by its code, or by its numeric id (dossiers not accepted at the counter have no code). */
export async function findDossierByRef(db: Db, ref: string): Promise<DossierRow | undefined> {
  return /^\d{1,12}$/.test(ref) ? findDossierById(db, Number(ref)) : findDossierByCode(db, ref);
}

/** The dossier whose result went by post with this tracking code. */
export async function findDossierByTrackingCode(
  db: Db,
  code: string,
): Promise<DossierRow | undefined> {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('post_tracking_code', '=', code)
    .executeTakeFirst();
}

export async function findDossierById(db: Db, id: number): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDossierByFormToken(
  db: Db,
  formToken: string,
): Promise<DossierRow | undefined> {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('form_token', '=', formToken)
    .executeTakeFirst();
}

export async function findDossierDocuments(db: Db, dossierId: number) {
  return db
    .selectFrom('dossier_documents')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('position')
    .execute();
}

export async function findDossierEvents(db: Db, dossierId: number) {
  return db
    .selectFrom('dossier_events')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}

/** A new lookup key for a reprinted receipt: the old slip's key stops working. */
export async function setLookupKeyHash(
  tx: Tx,
  id: number,
  hash: string,
  at: string,
): Promise<void> {
  await tx
    .updateTable('dossiers')
    .set({ lookup_key_hash: hash, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** What the office asked the citizen to bring, from the newest supplement request. */
export async function findLatestSupplementRequest(
  db: Db,
  dossierId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('dossier_events')
    .select('details')
    .where('dossier_id', '=', dossierId)
    .where('action', '=', 'request_supplement')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const details = JSON.parse(row.details) as { documents?: string };
  return details.documents ?? null;
}
