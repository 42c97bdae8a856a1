import { createHash } from 'node:crypto';
import type { AuditEventRow, DossierEventRow } from '../db/schema.js';

/**
 * Tamper evidence: every dossier event and audit event stores a SHA-256 over its content and
 * the previous event's hash (per dossier for dossier events, one chain for the audit log).
 * Editing or deleting a row behind the app's back breaks the chain at that row, which
 * `npm run audit:verify` finds. Format v1; migration 20261128_04 holds a frozen copy. Pure.
 */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a hash covers: every column but the chain's own. */
export type DossierEventContent = Omit<DossierEventRow, 'prev_hash' | 'hash'>;
export type AuditEventContent = Omit<AuditEventRow, 'prev_hash' | 'hash'>;

export function dossierEventHash(e: DossierEventContent, prevHash: string): string {
  return sha256(
    JSON.stringify([
      'dossier_event.v1',
      e.id,
      e.dossier_id,
      e.at,
      e.actor_account_id,
      e.actor_name,
      e.action,
      e.from_status,
      e.to_status,
      e.note,
      e.details,
      prevHash,
    ]),
  );
}

export function auditEventHash(e: AuditEventContent, prevHash: string): string {
  return sha256(
    JSON.stringify([
      'audit_event.v1',
      e.id,
      e.at,
      e.actor_account_id,
      e.actor_username,
      e.action,
      e.subject,
      e.details,
      prevHash,
    ]),
  );
}
