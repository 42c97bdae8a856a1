import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { inTransaction } from '../db/transactions.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { findStream, resendStream, syncProblems } from './sync.repository.js';

function assertSupervisor(account: CurrentAccount): void {
  if (account.role !== 'supervisor' && account.role !== 'admin') throw new ForbiddenError();
}

/**
 * The dossiers the national portal is behind on, in the offices the account sees: failing (with
 * the first failure and the last error) and, for reconciliation, those whose last change has not
 * reached the portal after PORTAL_SYNC_LAG_MINUTES.
 */
export async function syncProblemsView(
  deps: Deps<'db' | 'clock' | 'config' | 'masterData'>,
  account: CurrentAccount,
) {
  assertSupervisor(account);
  const lagMinutes = deps.config.portal.lagMinutes;
  const lagBefore = new Date(deps.clock.now().getTime() - lagMinutes * 60_000).toISOString();
  const rows = await syncProblems(
    deps.db,
    await accessibleOfficeIds(deps, account),
    lagBefore,
    500,
  );
  return { lagMinutes, rows };
}

/** Sends a failing dossier's changes at the next pass instead of after its backoff. */
export async function resendNow(
  deps: Deps<'db' | 'clock' | 'masterData'>,
  account: CurrentAccount,
  id: number,
): Promise<void> {
  assertSupervisor(account);
  const offices = await accessibleOfficeIds(deps, account);
  const nowIso = deps.clock.now().toISOString();
  const done = await inTransaction(deps.db, (tx) => resendStream(tx, id, offices, nowIso));
  if (!done) throw new ConflictError(vi.online.errors.notFailing, 'not_failing');
}

/** A dossier's sync state for its page: null when the portal has never been told of it. */
export async function dossierSyncState(deps: Deps<'db'>, dossierId: number) {
  const stream = await findStream(deps.db, { dossierId });
  return stream
    ? { state: stream.state, failingSince: stream.failing_since, lastSentAt: stream.last_sent_at }
    : null;
}
