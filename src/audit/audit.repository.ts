import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { auditEventHash, inTransaction } from './hash-chain.js';

export interface AuditEventInput {
  at: Date;
  actor?: { id: number; username: string } | null;
  /** Stable dotted name, e.g. `login.failed`, `export.csv`. */
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one audit event, chained to the previous one (see hash-chain.ts). Call it inside the
 * transaction of the act it records; alone, it opens its own.
 */
export async function insertAuditEvent(db: Kysely<Database>, event: AuditEventInput): Promise<void> {
  await inTransaction(db, async (tx) => {
    const last = await tx.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const content = {
      id: (last?.id ?? 0) + 1,
      at: event.at.toISOString(),
      actor_account_id: event.actor?.id ?? null,
      actor_username: event.actor?.username ?? null,
      action: event.action,
      subject: event.subject ?? null,
      details: JSON.stringify(event.details ?? {}),
    };
    const prevHash = last?.hash ?? '';
    await tx.insertInto('audit_events').values({ ...content, prev_hash: prevHash, hash: auditEventHash(content, prevHash) }).execute();
  });
}

export interface AuditFilter {
  action?: string | undefined;
  fromAt?: string | undefined;
  toAt?: string | undefined;
  username?: string | undefined;
  limit: number;
  offset: number;
}

export async function findAuditEvents(db: Kysely<Database>, filter: AuditFilter) {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.fromAt) query = query.where('at', '>=', filter.fromAt);
  if (filter.toAt) query = query.where('at', '<', filter.toAt);
  if (filter.username) query = query.where('actor_username', '=', filter.username);
  return query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function findAuditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
