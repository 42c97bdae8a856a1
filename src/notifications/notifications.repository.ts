import { sql, type Insertable, type Updateable } from 'kysely';
import { engineOf } from '../db/connect.js';
import type { Db, Tx } from '../db/database.js';
import type { NotificationRow, NotificationTable } from '../db/schema.js';
import { inTransaction } from '../db/transactions.js';

/** All SQL on the outbox (notifications) and its templates (notification_templates). */

export async function insertNotifications(
  tx: Tx,
  rows: Insertable<NotificationTable>[],
): Promise<void> {
  if (rows.length) await tx.insertInto('notifications').values(rows).execute();
}

/** Cancels a dossier's messages not sent yet (a reminder for a date that moved or a closed dossier). */
export async function cancelPending(tx: Tx, dossierId: number, kinds: string[]): Promise<void> {
  await tx
    .updateTable('notifications')
    .set({ state: 'cancelled' })
    .where('dossier_id', '=', dossierId)
    .where('kind', 'in', kinds)
    .where('state', 'in', ['queued', 'failed_temporary'])
    .execute();
}

/**
 * Takes up to `limit` messages due at `nowIso` for this sender: queued, waiting for a retry, or
 * left "sending" by a sender whose lease ran out (it died). One statement per engine that no
 * two senders can both win: SQLite has one writer; PostgreSQL skips rows another sender locked.
 */
export async function claimDue(
  db: Db,
  owner: string,
  nowIso: string,
  leaseUntilIso: string,
  limit: number,
  channels: NotificationRow['channel'][] | null,
  /** Kinds taken whatever `channels` says (a code the citizen waits for, in the quiet hours). */
  alwaysKinds: readonly string[] = [],
): Promise<NotificationRow[]> {
  return inTransaction(db, async (tx) => {
    let due = tx
      .selectFrom('notifications')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([
            eb('state', 'in', ['queued', 'failed_temporary']),
            eb('next_attempt_at', '<=', nowIso),
          ]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', nowIso)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit);
    if (channels)
      due = due.where((eb) =>
        alwaysKinds.length
          ? eb.or([eb('channel', 'in', channels), eb('kind', 'in', [...alwaysKinds])])
          : eb('channel', 'in', channels),
      );
    const ids = (
      await (engineOf(db) === 'postgres' ? due.forUpdate().skipLocked() : due).execute()
    ).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('notifications')
      .set({ state: 'sending', lease_owner: owner, lease_until: leaseUntilIso })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** Records what became of a message this sender holds; false when its lease was lost. */
export async function finishAttempt(
  db: Db,
  id: number,
  owner: string,
  patch: Updateable<NotificationTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set({ ...patch, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Messages sent to a recipient since `sinceIso` (the per-phone daily cap). */
export async function countSentSince(db: Db, recipient: string, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient', '=', recipient)
    .where('sent_at', '>=', sinceIso)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findNotificationsOf(db: Db, dossierId: number): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}

export async function findNotification(db: Db, id: number): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFailed(db: Db, officeIds: number[], limit: number) {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('notifications')
    .leftJoin('dossiers', 'dossiers.id', 'notifications.dossier_id')
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.channel',
      'notifications.recipient',
      'notifications.attempts',
      'notifications.last_error',
      'notifications.failed_at',
      'notifications.created_at',
      'dossiers.code',
    ])
    .where('notifications.office_id', 'in', officeIds)
    .where('notifications.state', '=', 'failed_permanent')
    .orderBy('notifications.failed_at', 'desc')
    .limit(limit)
    .execute();
}

export async function countFailed(db: Db, officeIds: number[]): Promise<number> {
  if (officeIds.length === 0) return 0;
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', 'in', officeIds)
    .where('state', '=', 'failed_permanent')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A failed message back in the queue with a fresh retry window. */
export async function requeue(
  tx: Tx,
  id: number,
  nowIso: string,
  expiresIso: string,
): Promise<boolean> {
  const r = await tx
    .updateTable('notifications')
    .set({
      state: 'queued',
      attempts: 0,
      next_attempt_at: nowIso,
      expires_at: expiresIso,
      last_error: null,
      failed_at: null,
    })
    .where('id', '=', id)
    .where('state', '=', 'failed_permanent')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A provider's delivery receipt for a message of one of `officeIds` (the offices whose gateway the
 * token belongs to): delivered, or failed after all. States only move forward: a message that was
 * delivered never becomes failed, and a receipt for a message not sent yet changes nothing.
 * Returns the message changed (its id and office), or undefined.
 */
export async function recordReceipt(
  tx: Tx,
  channel: NotificationRow['channel'],
  providerId: string,
  officeIds: number[] | 'installation',
  delivered: boolean,
  atIso: string,
  error: string | null,
): Promise<{ id: number; office_id: number | null; kind: string } | undefined> {
  if (officeIds !== 'installation' && officeIds.length === 0) return undefined;
  let q = tx
    .updateTable('notifications')
    .set(
      delivered
        ? { state: 'delivered', delivered_at: atIso }
        : { state: 'failed_permanent', failed_at: atIso, last_error: error ?? 'delivery failed' },
    )
    .where('channel', '=', channel)
    .where('provider_id', '=', providerId)
    .where('state', '=', 'sent');
  if (officeIds !== 'installation') q = q.where('office_id', 'in', officeIds);
  return q.returning(['id', 'office_id', 'kind']).executeTakeFirst();
}

/** Offices that send a channel through their own gateway, with its token (receipts' scope). */
export async function officeGateways(db: Db, channel: 'sms' | 'zalo') {
  const rows = await db
    .selectFrom('offices')
    .select(['id', 'sms_gateway_url', 'sms_gateway_token', 'zalo_zns_url', 'zalo_zns_token'])
    .execute();
  return rows.map((o) => ({
    id: o.id,
    own: channel === 'sms' ? o.sms_gateway_url !== null : o.zalo_zns_url !== null,
    token: channel === 'sms' ? o.sms_gateway_token : o.zalo_zns_token,
  }));
}

/** Messages created in [startIso, endIso) per channel and state (the report). */
export async function countByChannelAndState(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
) {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('notifications')
    .select(['channel', 'state', sql<number>`count(*)`.as('n')])
    .where('office_id', 'in', officeIds)
    .where('created_at', '>=', startIso)
    .where('created_at', '<', endIso)
    .groupBy(['channel', 'state'])
    .execute();
}

export async function findTemplates(db: Db | Tx) {
  return db.selectFrom('notification_templates').selectAll().execute();
}

export async function upsertTemplate(
  tx: Tx,
  row: {
    kind: string;
    subject: string;
    body: string;
    zalo_template_id: string;
    updated_at: string;
  },
): Promise<void> {
  await tx
    .insertInto('notification_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('kind').doUpdateSet({
        subject: row.subject,
        body: row.body,
        zalo_template_id: row.zalo_template_id,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
