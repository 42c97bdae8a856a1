import { createHmac } from 'node:crypto';
import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { Db } from '../db/database.js';
import { insertAccessEvent, insertAuditEvent, type AuditEventInput } from './audit.repository.js';

export type { AuditEventInput };

/**
 * Records an audit event (who did what, when), chained to the previous one. Inside the
 * transaction of the act it records, pass that transaction; with the plain database it opens its own.
 */
export function recordAudit(db: Db, event: AuditEventInput): Promise<void> {
  return insertAuditEvent(db, event);
}

/**
 * A keyed digest of a searched value (ID number, phone, folded name): the access log can say
 * that somebody looked for this citizen without storing whom in clear; an administrator finds
 * the events by typing the same value.
 */
export function searchDigest(ctx: Deps<'config'>, value: string): string {
  return createHmac('sha256', ctx.config.lookupKeySecret)
    .update(`search:${value}`)
    .digest('hex')
    .slice(0, 24);
}

/**
 * Records that an officer saw or searched citizens' personal data (Luật 91/2025): a dossier page
 * or slip, a search by ID number, phone or name, the applicant autofill, an export.
 */
export async function recordAccess(
  ctx: Deps<'db' | 'clock'>,
  account: CurrentAccount,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAccessEvent(ctx.db, {
    at: ctx.clock.now(),
    accountId: account.id,
    officeId: account.officeId,
    action,
    subject,
    details,
  });
}

/**
 * Records that a citizen obtained their own personal data without an account (an electronic
 * result downloaded from the lookup page with its code, key and a fact only they know).
 */
export async function recordCitizenAccess(
  ctx: Deps<'db' | 'clock'>,
  officeId: number,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAccessEvent(ctx.db, {
    at: ctx.clock.now(),
    accountId: null,
    officeId,
    action,
    subject,
    details,
  });
}
