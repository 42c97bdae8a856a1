import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEventRow, Database, DossierEventRow } from '../db/schema.js';

/**
 * Tamper evidence: every dossier event and audit event stores a SHA-256 over its content and
 * the previous event's hash (per dossier for dossier events, one chain for the audit log).
 * Editing or deleting a row behind the app's back breaks the chain at that row, which
 * `npm run audit:verify` finds. Format v1; migration 20261128_04 holds a frozen copy.
 */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a hash covers: every column but the chain's own. */
export type DossierEventContent = Omit<DossierEventRow, 'prev_hash' | 'hash'>;
export type AuditEventContent = Omit<AuditEventRow, 'prev_hash' | 'hash'>;

export function dossierEventHash(e: DossierEventContent, prevHash: string): string {
  return sha256(JSON.stringify(['dossier_event.v1', e.id, e.dossier_id, e.at, e.actor_account_id, e.actor_name, e.action, e.from_status, e.to_status, e.note, e.details, prevHash]));
}

export function auditEventHash(e: AuditEventContent, prevHash: string): string {
  return sha256(JSON.stringify(['audit_event.v1', e.id, e.at, e.actor_account_id, e.actor_username, e.action, e.subject, e.details, prevHash]));
}

/**
 * Runs `fn` in the caller's transaction, or in a new one: reading the chain's last hash and
 * appending must not interleave with another append.
 */
export async function inTransaction<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export interface BrokenLink {
  table: 'dossier_events' | 'audit_events';
  id: number;
  dossierId?: number;
  reason: 'content_changed' | 'chain_broken';
}

const PAGE = 5000;

/** Walks both chains and returns the first broken link of each (empty when all is intact). */
export async function verifyChains(db: Kysely<Database>): Promise<{ broken: BrokenLink[]; checked: { dossierEvents: number; auditEvents: number } }> {
  const broken: BrokenLink[] = [];
  const lastByDossier = new Map<number, string>();
  const brokenDossiers = new Set<number>();
  let dossierEvents = 0;
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('dossier_events').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
    for (const e of rows) {
      dossierEvents++;
      if (brokenDossiers.has(e.dossier_id)) continue;
      const expectedPrev = lastByDossier.get(e.dossier_id) ?? '';
      if (e.prev_hash !== expectedPrev) {
        broken.push({ table: 'dossier_events', id: e.id, dossierId: e.dossier_id, reason: 'chain_broken' });
        brokenDossiers.add(e.dossier_id);
      } else if (dossierEventHash(e, e.prev_hash) !== e.hash) {
        broken.push({ table: 'dossier_events', id: e.id, dossierId: e.dossier_id, reason: 'content_changed' });
        brokenDossiers.add(e.dossier_id);
      }
      lastByDossier.set(e.dossier_id, e.hash);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  let auditEvents = 0;
  let prev = '';
  let auditBroken = false;
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
    for (const e of rows) {
      auditEvents++;
      if (!auditBroken && e.prev_hash !== prev) {
        broken.push({ table: 'audit_events', id: e.id, reason: 'chain_broken' });
        auditBroken = true;
      } else if (!auditBroken && auditEventHash(e, e.prev_hash) !== e.hash) {
        broken.push({ table: 'audit_events', id: e.id, reason: 'content_changed' });
        auditBroken = true;
      }
      prev = e.hash;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  return { broken, checked: { dossierEvents, auditEvents } };
}
