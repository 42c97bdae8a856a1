import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { lockChain, nextIds } from '../../db/chains.js';
import { engineOf } from '../../db/connect.js';
import { precompiled, precompiledInsert } from '../../db/precompiled.js';
import type {
  DossierDocumentTable,
  DossierEventTable,
  DossierRow,
  DossierTable,
} from '../../db/schema.js';
import { dossierEventHash } from '../../audit/event-hash.js';

/**
 * All SQL on the dossiers feature's tables: dossiers, dossier_documents, dossier_events and
 * code_sequences. Mutators take the caller's transaction (`Tx`).
 */

/**
 * Takes the next number of the office's daily sequence. Runs inside the intake transaction
 * (BEGIN IMMEDIATE holds the write lock), so concurrent intakes, even from two processes, get
 * distinct consecutive numbers, and a rolled-back intake gives its number back.
 */
export async function allocateDailySequence(
  tx: Tx,
  officeId: number,
  day: string,
): Promise<number> {
  const [row] = await nextDailyNumber(tx, { officeId, day });
  return row!.last_number;
}

/**
 * The office's next daily number and the id of the event that will record the intake. On
 * PostgreSQL one statement: it takes the number's row lock, which the office's other intakes
 * wait for until this one commits, so every statement fewer after it shortens their wait.
 */
export async function allocateDailySequenceAndEventId(
  tx: Tx,
  officeId: number,
  day: string,
): Promise<{ sequence: number; eventId: number }> {
  if (engineOf(tx) === 'postgres') {
    const [row] = await nextDailyNumberAndEventId(tx, { officeId, day });
    return { sequence: row!.last_number, eventId: row!.event_id };
  }
  const sequence = await allocateDailySequence(tx, officeId, day);
  const [eventId] = await nextIds(tx, 'dossier_events', 1);
  return { sequence, eventId: eventId! };
}

// The intake's statements, compiled once (db/precompiled.ts): an intake is the busiest write.
const nextDailyNumber = precompiled(['officeId', 'day'], (db, p) =>
  db
    .insertInto('code_sequences')
    .values({ office_id: p.officeId, day: p.day, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['office_id', 'day'])
        .doUpdateSet({ last_number: sql<number>`code_sequences.last_number + 1` }),
    )
    .returning('last_number'),
);
// PostgreSQL only (a data-modifying WITH, a sequence).
const nextDailyNumberAndEventId = precompiled(['officeId', 'day'], (db, p) =>
  db
    .with('taken', (w) =>
      w
        .insertInto('code_sequences')
        .values({ office_id: p.officeId, day: p.day, last_number: 1 })
        .onConflict((oc) =>
          oc
            .columns(['office_id', 'day'])
            .doUpdateSet({ last_number: sql<number>`code_sequences.last_number + 1` }),
        )
        .returning('last_number'),
    )
    .selectFrom('taken')
    .select([
      'taken.last_number',
      sql<number>`nextval(pg_get_serial_sequence('dossier_events', 'id'))::int4`.as('event_id'),
    ]),
);
const insertDossierRows = precompiledInsert('dossiers', { returningAll: true });
// Nothing of the intake reads these back: PostgreSQL sends them with the next statement.
const insertDocumentRows = precompiledInsert('dossier_documents', { deferrable: true });
const insertEventRows = precompiledInsert('dossier_events');
const insertFirstEventRows = precompiledInsert('dossier_events', { deferrable: true });

/** Inserts a dossier and returns the stored row (defaults and id included). */
export async function insertDossier(
  tx: Tx,
  dossier: Insertable<DossierTable>,
): Promise<DossierRow> {
  const [row] = await insertDossierRows(tx, [dossier]);
  return row!;
}

/**
 * Gives a dossier inserted without one its code and lookup key's hash; returns the row as it now
 * is. Nothing reads it back in the intake, so PostgreSQL sends it with the next statement.
 */
export async function setDossierCode(
  tx: Tx,
  dossier: DossierRow,
  code: string,
  lookupKeyHash: string,
): Promise<DossierRow> {
  await updateCode(tx, { code, lookupKeyHash, id: dossier.id });
  return { ...dossier, code, lookup_key_hash: lookupKeyHash };
}

const updateCode = precompiled(
  ['code', 'lookupKeyHash', 'id'],
  (db, p) =>
    db
      .updateTable('dossiers')
      .set({ code: p.code, lookup_key_hash: p.lookupKeyHash })
      .where('id', '=', p.id),
  { deferrable: true },
);

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
