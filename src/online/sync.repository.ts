import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { engineOf } from '../db/connect.js';
import { precompiled, precompiledInsert } from '../db/precompiled.js';
import type { PortalSyncRowTable, PortalSyncStreamTable } from '../db/schema.js';

/** All SQL of portal_sync_streams and portal_sync_rows (the portal's outbox), and its reads. */

export type SyncStreamRow = Selectable<PortalSyncStreamTable>;
export type SyncRow = Selectable<PortalSyncRowTable>;

/**
 * What the portal is told of a dossier, read inside the change's transaction. Every change of a
 * dossier reads it (every intake among them): built and compiled once (db/precompiled.ts).
 */
const dossierFacts = precompiled(['dossierId'], (db, p) =>
  db
    .selectFrom('dossiers as d')
    .innerJoin('offices as o', 'o.id', 'd.office_id')
    .select([
      'd.id',
      'd.code',
      'd.status',
      'd.office_id',
      'd.form_token',
      'd.procedure_code',
      'd.procedure_name',
      'd.receiving_channel',
      'd.return_channel',
      'd.applicant_name',
      'd.personal_id',
      'd.phone',
      'd.received_at',
      'd.due_at',
      'd.rescheduled_due_at',
      'd.result_at',
      'd.returned_at',
      'd.refusal_reason',
      'o.name as office_name',
    ])
    .where('d.id', '=', p.dossierId),
);

export async function dossierFactsOf(tx: Tx, dossierId: number) {
  return (await dossierFacts(tx, { dossierId }))[0];
}

const paidFees = precompiled(['dossierId'], (db, p) =>
  db
    .selectFrom('payments')
    .select(['fee_name', 'paid_amount'])
    .where('dossier_id', '=', p.dossierId)
    .where('state', '=', 'paid'),
);

/** The fees paid for a dossier (the payments feature's record, read for the portal's record). */
export async function paidFeesOf(tx: Tx, dossierId: number) {
  const rows = await paidFees(tx, { dossierId });
  return rows.map((r) => ({ name: r.fee_name, amount: Number(r.paid_amount ?? 0) }));
}

export async function officeNameOf(tx: Tx, officeId: number): Promise<string> {
  const r = await tx
    .selectFrom('offices')
    .select('name')
    .where('id', '=', officeId)
    .executeTakeFirstOrThrow();
  return r.name;
}

const streamOfDossier = precompiled(['id'], (db, p) =>
  db.selectFrom('portal_sync_streams').selectAll().where('dossier_id', '=', p.id),
);
const streamOfOnline = precompiled(['id'], (db, p) =>
  db.selectFrom('portal_sync_streams').selectAll().where('online_dossier_id', '=', p.id),
);

/** A dossier's or an online entry's stream (every change of a dossier looks for it). */
export async function findStream(
  tx: Db,
  by: { dossierId: number } | { onlineId: number },
): Promise<SyncStreamRow | undefined> {
  const [stream] =
    'dossierId' in by
      ? await streamOfDossier(tx, { id: by.dossierId })
      : await streamOfOnline(tx, { id: by.onlineId });
  return stream;
}

const insertStreamRows = precompiledInsert('portal_sync_streams', { returningAll: true });
// A change's row is read by the sender, after the commit: PostgreSQL sends it with the next
// statement (db/deferred-writes.ts).
const insertSyncRows = precompiledInsert('portal_sync_rows', { deferrable: true });

type NewRow = Omit<Insertable<PortalSyncRowTable>, 'stream_id' | 'seq' | 'office_id'>;

/**
 * A new stream with its first change (numbered 1, the stream waiting to be sent since `at`).
 * On PostgreSQL one statement, sent with the transaction's next: nothing reads them back before
 * the commit (every accepted intake writes one).
 */
export async function insertStreamWithFirstRow(
  tx: Tx,
  stream: {
    officeId: number;
    maHoSo: string;
    dossierId: number | null;
    onlineId: number | null;
    at: string;
  },
  row: NewRow,
): Promise<void> {
  if (engineOf(tx) === 'postgres') {
    await streamWithFirstRow(tx, { ...stream, ...row });
    return;
  }
  const [created] = await insertStreamRows(tx, [
    {
      office_id: stream.officeId,
      ma_ho_so: stream.maHoSo,
      dossier_id: stream.dossierId,
      online_dossier_id: stream.onlineId,
      state: 'pending',
      last_seq: 1,
      next_attempt_at: stream.at,
      last_change_at: stream.at,
      created_at: stream.at,
      updated_at: stream.at,
    },
  ]);
  await insertSyncRows(tx, [
    { ...row, stream_id: created!.id, office_id: created!.office_id, seq: 1 },
  ]);
}

// PostgreSQL only (a data-modifying WITH).
const streamWithFirstRow = precompiled(
  [
    'officeId',
    'maHoSo',
    'dossierId',
    'onlineId',
    'at',
    'change',
    'national_status',
    'record',
    'progress',
    'created_at',
  ],
  (db, p) =>
    db
      .with('created', (w) =>
        w
          .insertInto('portal_sync_streams')
          .values({
            office_id: p.officeId,
            ma_ho_so: p.maHoSo,
            dossier_id: p.dossierId,
            online_dossier_id: p.onlineId,
            state: 'pending',
            last_seq: 1,
            next_attempt_at: p.at,
            last_change_at: p.at,
            created_at: p.at,
            updated_at: p.at,
          })
          .returning(['id', 'office_id', 'last_seq']),
      )
      .insertInto('portal_sync_rows')
      .columns([
        'stream_id',
        'office_id',
        'seq',
        'change',
        'national_status',
        'record',
        'progress',
        'created_at',
      ])
      .expression((eb) =>
        eb
          .selectFrom('created')
          .select([
            'created.id',
            'created.office_id',
            'created.last_seq',
            sql<string>`${p.change}::text`.as('change'),
            sql<string>`${p.national_status}::text`.as('national_status'),
            sql<string>`${p.record}::text`.as('record'),
            sql<string>`${p.progress}::text`.as('progress'),
            sql<string>`${p.created_at}::text`.as('created_at'),
          ]),
      ),
  { deferrable: true },
);

export async function linkStreamToDossier(tx: Tx, streamId: number, dossierId: number) {
  await tx
    .updateTable('portal_sync_streams')
    .set({ dossier_id: dossierId })
    .where('id', '=', streamId)
    .execute();
}

const streamAppended = precompiled(['seq', 'at', 'id'], (db, p) =>
  db
    .updateTable('portal_sync_streams')
    .set({
      last_seq: p.seq,
      last_change_at: p.at,
      updated_at: p.at,
      state: sql<
        'pending' | 'failing'
      >`case when state = 'failing' then 'failing' else 'pending' end`,
      next_attempt_at: sql<string>`case when state = 'failing' then next_attempt_at else ${p.at} end`,
    })
    .where('id', '=', p.id),
);

/**
 * Appends a change to a stream, in the change's transaction: the next number, and the stream
 * waits to be sent (a failing stream keeps its backoff). A new stream's first change is
 * `insertStreamWithFirstRow`'s.
 */
export async function appendRow(
  tx: Tx,
  stream: SyncStreamRow,
  row: NewRow,
  at: string,
): Promise<void> {
  const seq = stream.last_seq + 1;
  await insertSyncRows(tx, [{ ...row, stream_id: stream.id, office_id: stream.office_id, seq }]);
  await streamAppended(tx, { seq, at, id: stream.id });
}

/** Streams with changes to send now, not held by a live sender. */
export async function dueStreams(db: Db, nowIso: string, limit: number): Promise<SyncStreamRow[]> {
  return db
    .selectFrom('portal_sync_streams')
    .selectAll()
    .where('state', '!=', 'in_step')
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/** Takes a stream for this sender until `until`; false when another sender holds it. */
export async function leaseStream(
  db: Db,
  id: number,
  owner: string,
  nowIso: string,
  until: string,
): Promise<boolean> {
  const r = await db
    .updateTable('portal_sync_streams')
    .set({ lease_owner: owner, lease_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function unsentRows(db: Db, streamId: number, after: number): Promise<SyncRow[]> {
  return db
    .selectFrom('portal_sync_rows')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('seq', '>', after)
    .orderBy('seq')
    .execute();
}

/** One row reached the portal: the stream moves past it (still this sender's). */
export async function markSent(tx: Tx, stream: number, row: SyncRow, owner: string, at: string) {
  await tx.updateTable('portal_sync_rows').set({ sent_at: at }).where('id', '=', row.id).execute();
  await tx
    .updateTable('portal_sync_streams')
    .set({
      sent_seq: row.seq,
      on_portal: 1,
      attempts: 0,
      failing_since: null,
      last_error: null,
      last_sent_at: at,
      updated_at: at,
    })
    .where('id', '=', stream)
    .where('lease_owner', '=', owner)
    .execute();
}

/** The portal refused or did not answer: failing since the first failure, retried at `next`. */
export async function markFailed(
  db: Db,
  stream: number,
  owner: string,
  at: string,
  next: string,
  error: string,
) {
  await db
    .updateTable('portal_sync_streams')
    .set({
      state: 'failing',
      attempts: sql<number>`attempts + 1`,
      failing_since: sql<string>`coalesce(failing_since, ${at})`,
      next_attempt_at: next,
      last_error: error.slice(0, 500),
      lease_owner: null,
      lease_until: null,
      updated_at: at,
    })
    .where('id', '=', stream)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Done with a stream: in step if nothing came meanwhile, else pending for the next pass. */
export async function releaseStream(db: Db, stream: number, owner: string, at: string) {
  await db
    .updateTable('portal_sync_streams')
    .set({
      state: sql<
        'in_step' | 'pending'
      >`case when sent_seq = last_seq then 'in_step' else 'pending' end`,
      lease_owner: null,
      lease_until: null,
      updated_at: at,
    })
    .where('id', '=', stream)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * The office's dossiers the portal is behind on: failing ones, and those whose last change has
 * waited since before `lagBefore` (the reconciliation report), oldest first.
 */
export async function syncProblems(db: Db, officeIds: number[], lagBefore: string, limit: number) {
  return db
    .selectFrom('portal_sync_streams as s')
    .leftJoin('dossiers as d', 'd.id', 's.dossier_id')
    .select([
      's.id',
      's.ma_ho_so',
      's.state',
      's.attempts',
      's.failing_since',
      's.last_error',
      's.last_change_at',
      's.last_sent_at',
      's.next_attempt_at',
      's.online_dossier_id',
      'd.code as dossier_code',
    ])
    .where('s.office_id', 'in', officeIds)
    .where((eb) =>
      eb.or([
        eb('s.state', '=', 'failing'),
        eb.and([eb('s.state', '=', 'pending'), eb('s.last_change_at', '<', lagBefore)]),
      ]),
    )
    .orderBy('s.last_change_at')
    .limit(limit)
    .execute();
}

/** Resend now: a failing stream of these offices becomes due at once; false if none. */
export async function resendStream(
  tx: Tx,
  id: number,
  officeIds: number[],
  at: string,
): Promise<boolean> {
  const r = await tx
    .updateTable('portal_sync_streams')
    .set({ next_attempt_at: at, updated_at: at })
    .where('id', '=', id)
    .where('office_id', 'in', officeIds)
    .where('state', '=', 'failing')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
