import type { WorkingCalendar } from '../../calendar/working-days.js';
import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import type { Tx } from '../../db/database.js';
import { UniqueViolationError } from '../../db/errors.js';
import type { DossierRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transactions.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import {
  cancelReminders,
  notifyCitizen,
  notifySettingsOf,
  type NotifySettings,
} from '../../notifications/notifications.service.js';
import { parseInput } from '../../validation.js';
import {
  ACTION_MULTILINE,
  actionInputSchema,
  isDossierAction,
  isHandoverAction,
  nextStatus,
  workflowSpec,
  type ActionPlan,
  type CitizenMessage,
  type ConditionRefusal,
  type DossierAction,
  type StepMove,
} from '../actions/index.js';
import {
  closeStep,
  findStepsOf,
  nextPosition,
  openStep,
  openStepOf,
  performHandover,
  plannedUnit,
  policyFacts,
  stepSettingFor,
  type StepSetting,
  type StepWithUnit,
} from '../handover/index.js';
import { assertAllowed, decide } from '../policy/index.js';
import {
  findDossierById,
  findDossierByTrackingCode,
  loadAccessibleDossier,
  recordDossierEvent,
  updateDossierAtVersion,
  type DossierStatus,
} from '../record/index.js';
import { issueForm } from '../slips/index.js';

const m = vi.dossiers.errors;

/** The conflict of an action whose own condition refuses it. */
const CONDITION_MESSAGE: Record<ConditionRefusal, string> = {
  already_rescheduled: m.alreadyRescheduled,
  not_post_channel: vi.post.errors.notPostChannel,
  already_dispatched: vi.post.errors.alreadyDispatched,
  not_dispatched: vi.post.errors.notDispatched,
};

/** What an action on a dossier touches. */
export type ActionDeps = Deps<'db' | 'clock' | 'config' | 'masterData' | 'dossierExtensions'>;

/**
 * Any action of the action table on a dossier: a workflow action or a handover. The one entry
 * the page and the API call.
 */
export async function performAction(
  deps: ActionDeps,
  account: CurrentAccount,
  ref: string,
  action: string,
  raw: unknown,
): Promise<DossierRow> {
  if (isHandoverAction(action)) return performHandover(deps, account, ref, action, raw);
  if (isDossierAction(action)) return performDossierAction(deps, account, ref, action, raw);
  throw new NotFoundError(vi.api.unknownAction, 'unknown_action');
}

/**
 * Moves a dossier through one workflow action. One transaction: check the transition and who
 * may take it (the action table and the policy), update the dossier at the version the user saw
 * (optimistic locking), move its steps, issue its numbered form, queue the citizen's message,
 * append the event. An impossible transition or a stale version is a conflict with a clear
 * message, never a silent no-op. What the action changes is planned by its pure planner.
 */
export async function performDossierAction(
  deps: ActionDeps,
  account: CurrentAccount,
  ref: string,
  action: DossierAction,
  raw: unknown,
  options: { carrier?: boolean } = {},
): Promise<DossierRow> {
  const input = parseInput(actionInputSchema, raw, ACTION_MULTILINE);
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1)
    throw new ValidationError({ version: m.versionRequired });

  const dossier = await loadAccessibleDossier(deps, account, ref);
  const spec = workflowSpec(action);
  const from = dossier.status as DossierStatus;
  const to = nextStatus(from, action);
  if (!to) {
    throw new ConflictError(
      m.transition(vi.dossiers.action[action] ?? action, vi.dossiers.status[from] ?? from),
      'invalid_transition',
    );
  }
  if (dossier.version !== version) throw new ConflictError(m.stale, 'stale_version');
  if (spec.onlyIf && !spec.onlyIf(dossier)) {
    const refusal = spec.refusal ?? 'already_rescheduled';
    throw new ConflictError(CONDITION_MESSAGE[refusal], refusal);
  }
  const steps = await findStepsOf(deps.db, dossier.id);
  // The postal provider's callback reports a delivery: its token's scope is its authority, the
  // dossier's office within the token account's scope (checked on loading).
  if (!(options.carrier && action === 'post_delivered'))
    assertAllowed(decide(spec.who, await policyFacts(deps, account, dossier, steps)));
  // What features above the dossiers require first (the fee before a return, where required).
  await deps.dossierExtensions.checkAction(dossier, action);

  const now = deps.clock.now();
  const nowIso = now.toISOString();
  // Loaded before the transaction: the cache reads through the connection the transaction holds.
  const calendar = await deps.masterData.calendar();
  const rules = {
    closingTime: deps.config.officeClosingTime,
    sameDayCutoffTime: deps.config.sameDayCutoffTime,
    supplementClock: deps.config.supplementClock,
  };
  const plan = spec.plan({ rules, calendar, dossier, input, now });
  const tracking = plan.patch.post_tracking_code;
  if (tracking && (await findDossierByTrackingCode(deps.db, tracking)))
    throw new ValidationError({ post_tracking_code: vi.post.errors.trackingTaken });
  const [setting, offices] = await Promise.all([
    stepSettingFor(deps, dossier),
    deps.masterData.offices(),
  ]);
  const officeName = offices.find((o) => o.id === dossier.office_id)?.short_name ?? '';
  const notify = dossier.notify_channels && spec.message ? await notifySettingsOf(deps) : null;
  return inTransaction(deps.db, async (tx) => {
    const ok = await updateDossierAtVersion(tx, dossier.id, version, {
      ...plan.patch,
      status: to,
      updated_at: nowIso,
    });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    const after = { ...dossier, ...plan.patch } as DossierRow;
    await moveSteps(tx, setting, after, steps, spec.steps, account, now);
    if (spec.register)
      await issueForm(tx, {
        dossierId: dossier.id,
        officeId: dossier.office_id,
        kind: spec.register,
        at: now,
        by: account,
      });
    if (notify && spec.message)
      await tellCitizen(tx, notify, calendar, after, spec.message, plan, officeName, now);
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action,
      from,
      to,
      note: plan.note,
      details: plan.details,
    });
    // What features above the dossiers write with it (the portal's sync row), in this transaction.
    await deps.dossierExtensions.onChange(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action,
      from,
      to,
      note: plan.note,
      details: plan.details,
    });
    return (await findDossierById(tx, dossier.id))!;
  }).catch((err: unknown) => {
    // Two dispatches with one code at once: the index stops the second.
    if (err instanceof UniqueViolationError && err.isOn('dossiers.post_tracking_code'))
      throw new ValidationError({ post_tracking_code: vi.post.errors.trackingTaken });
    throw err;
  });
}

/**
 * What a workflow action does to the dossier's steps, as its table entry says: close the open
 * step, then open processing in the planned unit's queue or the wait for the citizen, or reopen
 * the step a supplement request paused. A dossier without steps (imported history) gains none.
 */
async function moveSteps(
  tx: Tx,
  setting: StepSetting,
  dossier: DossierRow,
  steps: StepWithUnit[],
  move: StepMove,
  account: CurrentAccount,
  now: Date,
): Promise<void> {
  if (steps.length === 0) return;
  const open = openStepOf(steps);
  const me = { id: account.id, fullName: account.fullName };
  const given = { id: me.id, name: me.fullName };
  if (move.close && open) await closeStep(tx, setting, open, me, move.close, now);
  const position = nextPosition(steps);
  if (move.open === 'planned_processing') {
    const unit = plannedUnit(setting, 'processing');
    await openStep(
      tx,
      setting,
      dossier,
      position,
      {
        kind: 'processing',
        unit: unit ? { id: unit.id, name: unit.name } : null,
        holder: null,
        givenBy: given,
      },
      now,
    );
  } else if (move.open === 'return') {
    await openStep(
      tx,
      setting,
      dossier,
      position,
      { kind: 'return', unit: null, holder: null, givenBy: given },
      now,
    );
  } else if (move.resume && !open) {
    const paused = [...steps].reverse().find((s) => s.end_reason === 'supplement');
    if (!paused) return;
    const holder = paused.holder_account_id
      ? { id: paused.holder_account_id, fullName: paused.holder_name ?? '' }
      : null;
    const unit = paused.unit_id ? { id: paused.unit_id, name: paused.unit_name ?? '' } : null;
    await openStep(
      tx,
      setting,
      dossier,
      position,
      { kind: paused.kind, unit, holder, givenBy: given },
      now,
    );
  }
}

/** The citizen's message of a workflow action, written in its transaction (consent permitting). */
async function tellCitizen(
  tx: Tx,
  settings: NotifySettings,
  calendar: WorkingCalendar,
  dossier: DossierRow,
  message: CitizenMessage,
  plan: ActionPlan,
  officeName: string,
  at: Date,
): Promise<void> {
  const event = { dossier, officeName, at };
  const details = plan.details as {
    documents?: string;
    reason?: string;
    dueOnBefore?: string | null;
    dueOnAfter?: string | null;
    newDueOn?: string;
  };
  switch (message) {
    case 'supplement':
      return notifyCitizen(tx, settings, {
        ...event,
        kind: 'supplement',
        documents: details.documents,
        reason: details.reason,
      });
    case 'due_moved':
      // Only a date that moved is news; the reminder follows the date either way.
      if (details.dueOnAfter && details.dueOnAfter !== details.dueOnBefore)
        return notifyCitizen(
          tx,
          settings,
          { ...event, kind: 'due_moved' },
          { calendar, dueOn: details.dueOnAfter },
        );
      return;
    case 'rescheduled':
      return notifyCitizen(
        tx,
        settings,
        { ...event, kind: 'rescheduled', reason: details.reason },
        { calendar, dueOn: details.newDueOn ?? null },
      );
    case 'result_ready':
      return notifyCitizen(tx, settings, { ...event, kind: 'result_ready' });
    case 'returned':
      return notifyCitizen(tx, settings, { ...event, kind: 'returned' });
    case 'posted':
      return notifyCitizen(tx, settings, {
        ...event,
        kind: 'posted',
        trackingCode: dossier.post_tracking_code ?? '',
      });
    case 'cancel_reminders':
      return cancelReminders(tx, dossier.id);
  }
}
