import type { Db } from '../db/database.js';
import { insertAuditEvent, type AuditEventInput } from './audit.repository.js';

export type { AuditEventInput };

/**
 * Records an audit event (who did what, when), chained to the previous one. Inside the
 * transaction of the act it records, pass that transaction; with the plain database it opens its own.
 */
export function recordAudit(db: Db, event: AuditEventInput): Promise<void> {
  return insertAuditEvent(db, event);
}
