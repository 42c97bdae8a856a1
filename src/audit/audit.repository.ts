import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transactions.js';
import { lockChain, nextIds } from '../db/chains.js';
import { auditEventHash } from './event-hash.js';

/** All SQL on audit_events; and the read of both event chains that `npm run audit:verify` walks. */

export interface AuditEventInput {
  at: Date;
  actor?: { id: number; username: string } | null;
  /** Stable dotted name, e.g. `login.failed`, `export.csv`. */
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one audit event, chained to the previous one (see event-hash.ts). Call it inside the
 * transaction of the act it records; given the plain database, it opens its own.
 */
export async function insertAuditEvent(db: Db, event: AuditEventInput): Promise<void> {
  await inTransaction(db, async (tx) => {
    await lockChain(tx, 'audit_events');
    const last = await tx
      .selectFrom('audit_events')
      .select(['id', 'hash'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const [id] = await nextIds(tx, 'audit_events', 1);
    const content = {
      id: id!,
      at: event.at.toISOString(),
      actor_account_id: event.actor?.id ?? null,
      actor_username: event.actor?.username ?? null,
      action: event.action,
      subject: event.subject ?? null,
      details: JSON.stringify(event.details ?? {}),
    };
    const prevHash = last?.hash ?? '';
    await tx
      .insertInto('audit_events')
      .values({ ...content, prev_hash: prevHash, hash: auditEventHash(content, prevHash) })
      .execute();
  });
}

export interface AuditFilter {
  /** Only events by accounts of these offices (a supervisor's scope); all when absent. */
  officeIds?: number[] | undefined;
  action?: string | undefined;
  fromAt?: string | undefined;
  toAt?: string | undefined;
  username?: string | undefined;
  limit: number;
  offset: number;
}

export async function findAuditEvents(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.officeIds) {
    const officeIds = filter.officeIds;
    query = query.where('actor_account_id', 'in', (eb) =>
      eb.selectFrom('accounts').select('accounts.id').where('accounts.office_id', 'in', officeIds),
    );
  }
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.fromAt) query = query.where('at', '>=', filter.fromAt);
  if (filter.toAt) query = query.where('at', '<', filter.toAt);
  if (filter.username) query = query.where('actor_username', '=', filter.username);
  return query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function findAuditActions(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute();
  return rows.map((r) => r.action);
}

/** A page of dossier events after id `after`, in id order (for the chain check). */
export function findDossierEventsAfter(db: Db, after: number, limit: number) {
  return db
    .selectFrom('dossier_events')
    .selectAll()
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A page of audit events after id `after`, in id order (for the chain check). */
export function findAuditEventsAfter(db: Db, after: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ---- Access to personal data -----------------------------------------------------------------

export interface AccessEventInput {
  at: Date;
  /** Null: the citizen themself (a result downloaded from the lookup page). */
  accountId: number | null;
  officeId: number;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

export async function insertAccessEvent(db: Db, e: AccessEventInput): Promise<void> {
  await db
    .insertInto('access_events')
    .values({
      at: e.at.toISOString(),
      account_id: e.accountId,
      office_id: e.officeId,
      action: e.action,
      subject: e.subject,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export interface AccessFilter {
  action?: string | undefined;
  username?: string | undefined;
  subject?: string | undefined;
  /** A keyed digest of a searched ID number, phone or name (see audit.service). */
  digest?: string | undefined;
  fromAt?: string | undefined;
  toAt?: string | undefined;
  limit: number;
  offset: number;
}

export async function findAccessEvents(db: Db, filter: AccessFilter) {
  let query = db
    .selectFrom('access_events')
    .leftJoin('accounts', 'accounts.id', 'access_events.account_id')
    .innerJoin('offices', 'offices.id', 'access_events.office_id')
    .select([
      'access_events.id',
      'access_events.at',
      'access_events.action',
      'access_events.subject',
      'access_events.details',
      'accounts.username',
      'accounts.full_name',
      'offices.name as office_name',
    ]);
  if (filter.action) query = query.where('access_events.action', '=', filter.action);
  if (filter.username) query = query.where('accounts.username', '=', filter.username);
  if (filter.subject) query = query.where('access_events.subject', '=', filter.subject);
  if (filter.digest)
    query = query.where(
      'access_events.details',
      'like',
      `%"digest":"${filter.digest.replace(/[^0-9a-f]/g, '')}"%`,
    );
  if (filter.fromAt) query = query.where('access_events.at', '>=', filter.fromAt);
  if (filter.toAt) query = query.where('access_events.at', '<', filter.toAt);
  return query
    .orderBy('access_events.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}
