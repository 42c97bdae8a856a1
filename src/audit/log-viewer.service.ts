import type { z } from 'zod';
import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { foldVietnamese } from '../lib/fold.js';
import { normalizeMobile } from '../lib/phone.js';
import { addDays, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { accessibleOfficeIds } from '../office-scope.js';
import type { accessQuery, logQuery } from './log-query.js';
import { findAccessEvents, findAuditActions, findAuditEvents } from './audit.repository.js';
import { searchDigest } from './audit.service.js';

/** The log viewers' reads: a page of the audit log or of the personal-data access log. */
export const PAGE_SIZE = 50;

/** The common part of a log query: the instants of the local days, and the page as limit and offset. */
function logWindow(q: z.output<typeof logQuery>) {
  return {
    action: q.action || undefined,
    username: q.username || undefined,
    fromAt: q.from ? startOfLocalDayIso(q.from) : undefined,
    toAt: q.to ? startOfLocalDayIso(addDays(q.to, 1)) : undefined,
    limit: PAGE_SIZE + 1,
    offset: (q.page - 1) * PAGE_SIZE,
  };
}

/** A searched person as the search recorded it: ID digits, a normalised mobile number, or a folded name. */
function searchedValue(person: string): string {
  const digits = person.replace(/[\s.]/g, '');
  if (/^\d{12}$/.test(digits)) return digits;
  return normalizeMobile(person) ?? foldVietnamese(person);
}

/** A page of the audit log: a supervisor sees its offices' accounts, an administrator all. */
export async function auditLogPage(
  deps: Deps<'db' | 'masterData'>,
  account: CurrentAccount,
  q: z.output<typeof logQuery>,
) {
  const officeIds = account.role === 'admin' ? undefined : await accessibleOfficeIds(deps, account);
  return findAuditEvents(deps.db, { officeIds, ...logWindow(q) });
}

export const auditActions = (deps: Deps<'db'>) => findAuditActions(deps.db);

/** A page of the access log; a person is found by the digest of what was searched. */
export async function accessLogPage(deps: Deps<'db' | 'config'>, q: z.output<typeof accessQuery>) {
  const person = q.person?.trim() ?? '';
  return findAccessEvents(deps.db, {
    ...logWindow(q),
    subject: q.subject || undefined,
    digest: person ? searchDigest(deps, searchedValue(person)) : undefined,
  });
}
