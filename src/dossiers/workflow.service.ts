import { inTransaction } from '../db/transactions.js';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../accounts/current-account.js';
import type { DossierRow } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../offices/office-scope.js';
import { parseInput } from '../validation.js';
import { planAction } from './dossier-actions.js';
import { recordDossierEvent } from './dossier-events.js';
import { nextStatus, type DossierAction, type DossierStatus } from './dossier-status.js';
import { findDossierById, findDossierByRef, updateDossierAtVersion } from './dossiers.repository.js';
import { ACTION_MULTILINE, actionInputSchema } from './dossiers.schemas.js';

const m = vi.dossiers.errors;

/**
 * Loads a dossier (by code or id) the account may see. Another office's dossier is "not found"
 * exactly like a missing one, so codes of other offices cannot be probed.
 */
export async function loadAccessibleDossier(ctx: AppContext, account: CurrentAccount, ref: string): Promise<DossierRow> {
  const dossier = await findDossierByRef(ctx.db, ref);
  if (!dossier) throw new NotFoundError(m.notFound, 'dossier_not_found');
  const offices = await accessibleOfficeIds(ctx, account);
  if (!offices.includes(dossier.office_id)) throw new NotFoundError(m.notFound, 'dossier_not_found');
  return dossier;
}

/**
 * Moves a dossier through one step of its workflow. One transaction: check the transition,
 * update the dossier at the version the user saw (optimistic locking), append the event. An
 * impossible transition or a stale version is a conflict with a clear message, never a silent
 * no-op. What the action changes is planned by the pure `planAction`.
 */
export async function performDossierAction(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  action: DossierAction,
  raw: unknown,
): Promise<DossierRow> {
  const input = parseInput(actionInputSchema, raw, ACTION_MULTILINE);
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1) throw new ValidationError({ version: m.versionRequired });

  const dossier = await loadAccessibleDossier(ctx, account, ref);
  const from = dossier.status as DossierStatus;
  const to = nextStatus(from, action);
  if (!to) {
    throw new ConflictError(m.transition(vi.dossiers.action[action] ?? action, vi.dossiers.status[from] ?? from), 'invalid_transition');
  }
  if (dossier.version !== version) throw new ConflictError(m.stale, 'stale_version');
  if (action === 'reschedule' && dossier.rescheduled_due_on) throw new ConflictError(m.alreadyRescheduled, 'already_rescheduled');

  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  // Loaded before the transaction: the cache reads through the connection the transaction holds.
  const calendar = await ctx.masterData.calendar();
  const rules = { closingTime: ctx.config.officeClosingTime, sameDayCutoffTime: ctx.config.sameDayCutoffTime, supplementClock: ctx.config.supplementClock };
  const plan = planAction(rules, calendar, dossier, action, input, now);
  return inTransaction(ctx.db, async (tx) => {
    const ok = await updateDossierAtVersion(tx, dossier.id, version, { ...plan.patch, status: to, updated_at: nowIso });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    await recordDossierEvent(tx, { dossierId: dossier.id, at: nowIso, actor: account, action, from, to, note: plan.note, details: plan.details });
    return (await findDossierById(tx, dossier.id))!;
  });
}
