import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { lockChain, nextIds } from '../../db/chains.js';
import { engineOf } from '../../db/connect.js';
import { carriesSeveralUnits } from '../../db/group-commit.js';
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
 * The office's next daily number, the id of the event that will record the intake and, on
 * PostgreSQL, the dossier's own id. On PostgreSQL one statement: it takes the number's row lock,
 * which the office's other intakes wait for until this one commits, so every statement fewer
 * after it shortens their wait. With the dossier's id known beforehand, its row goes in once,
 * code included, with the intake's other rows (`insertDossier` with a reserved id). On SQLite
 * the dossier's INSERT gives its id (`dossierId` undefined).
 */
export async function allocateDailySequenceAndIds(
  tx: Tx,
  officeId: number,
  day: string,
): Promise<{ sequence: number; eventId: number; dossierId?: number }> {
  if (engineOf(tx) === 'postgres') {
    const taken = reservedFor.get(tx)?.take(officeId, day);
    if (taken) return taken;
    // In a transaction of several intakes (db/group-commit.ts) the counters are summed at
    // commit, in their order: counted directly, the next intake's rows would come out of it.
    const statement = carriesSeveralUnits(tx)
      ? nextDailyNumberAndIdsAtCommit
      : nextDailyNumberAndIds;
    const [row] = await statement(tx, { officeId, day });
    return { sequence: row!.last_number, eventId: row!.event_id, dossierId: row!.dossier_id };
  }
  const sequence = await allocateDailySequence(tx, officeId, day);
  const [eventId] = await nextIds(tx, 'dossier_events', 1);
  return { sequence, eventId: eventId! };
}

/** What an accepted intake will take: a daily number of its office (`allocateDailySequenceAndIds`). */
export interface IntakeClaim {
  officeId: number;
  day: string;
}

/** Numbers and ids a PostgreSQL transaction of several intakes took for them beforehand. */
class Reservation {
  readonly #numbers = new Map<string, number[]>();
  #next = 0;
  constructor(
    taken: [number, string, number, number][],
    private readonly eventIds: number[],
    private readonly dossierIds: number[],
  ) {
    // Each office's and day's numbers, lowest first: the intakes take them in the batch's order.
    for (const [officeId, day, last, count] of taken)
      this.#numbers.set(
        `${officeId} ${day}`,
        Array.from({ length: count }, (_, i) => last - count + 1 + i),
      );
  }

  take(officeId: number, day: string) {
    const sequence = this.#numbers.get(`${officeId} ${day}`)?.shift();
    if (sequence === undefined) return null;
    const i = this.#next++;
    return { sequence, eventId: this.eventIds[i]!, dossierId: this.dossierIds[i]! };
  }

  /** Throws if an intake claimed a number it did not take (its batch then runs unit by unit). */
  settle(): void {
    if (this.#next !== this.eventIds.length || [...this.#numbers.values()].some((n) => n.length))
      throw new Error('a batch of intakes left numbers it had reserved');
  }
}
const reservedFor = new WeakMap<Tx, Reservation>();

/**
 * PostgreSQL, a transaction of several intakes (db/group-commit.ts `prepareBatch`): the daily
 * numbers and the ids of all its intakes in one statement, before they run, so that each intake
 * then takes its own without a round trip and every row goes with the COMMIT. The claims come in
 * the batch's order (by office), and the numbers' rows are locked in that order, as the intakes
 * one by one would lock them. Returns the check that every reservation was taken.
 */
export async function reserveIntakeNumbers(tx: Tx, claims: IntakeClaim[]): Promise<() => void> {
  const [row] = await reserveNumbersAndIds(tx, {
    offices: claims.map((c) => c.officeId),
    days: claims.map((c) => c.day),
    count: claims.length,
  });
  const reservation = new Reservation(row!.taken, row!.event_ids, row!.dossier_ids);
  reservedFor.set(tx, reservation);
  return () => reservation.settle();
}

// PostgreSQL only. One text whatever the batch's size (arrays), so it stays a prepared statement.
const reserveNumbersAndIds = precompiled(['offices', 'days', 'count'], (db, p) => ({
  compile: () =>
    sql<{
      taken: [number, string, number, number][];
      event_ids: number[];
      dossier_ids: number[];
    }>`with wanted as (
        select w.office_id, w.day, count(*)::int4 as n
        from unnest(${p.offices}::int4[], ${p.days}::text[]) as w(office_id, day)
        group by w.office_id, w.day),
      taken as (
        insert into code_sequences (office_id, day, last_number)
        select office_id, day, n from wanted order by office_id, day
        on conflict (office_id, day)
          do update set last_number = code_sequences.last_number + excluded.last_number
        returning office_id, day, last_number)
      select
        (select json_agg(json_build_array(t.office_id, t.day, t.last_number, w.n))
          from taken t join wanted w on w.office_id = t.office_id and w.day = t.day) as taken,
        array(select nextval(pg_get_serial_sequence('dossier_events', 'id'))::int4
          from generate_series(1, ${p.count}::int4)) as event_ids,
        array(select nextval(pg_get_serial_sequence('dossiers', 'id'))::int4
          from generate_series(1, ${p.count}::int4)) as dossier_ids`.compile(db),
}));

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
// PostgreSQL only (a data-modifying WITH, sequences).
const numberAndIds = (counters: 'direct' | 'at commit') =>
  precompiled(['officeId', 'day'], (db, p) =>
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
        sql<number>`nextval(pg_get_serial_sequence('dossiers', 'id'))::int4`.as('dossier_id'),
        // The transaction counts its dossier straight into the counters (migration 35): it holds
        // the office's number until it commits anyway.
        counters === 'direct'
          ? sql<string>`set_config('motcua.counters', 'direct', true)`.as('counters')
          : sql<string>`''`.as('counters'),
      ]),
  );
const nextDailyNumberAndIds = numberAndIds('direct');
const nextDailyNumberAndIdsAtCommit = numberAndIds('at commit');
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
