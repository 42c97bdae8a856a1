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
import {
  findDossierById,
  findDossierByRef,
  updateDossierAtVersion,
} from './dossiers.repository.js';
import { ACTION_MULTILINE, actionInputSchema } from './dossiers.schemas.js';
import { findStepsOf, type StepWithUnit } from './steps.repository.js';
import {
  closeStep,
  nextPosition,
  openStep,
  openStepOf,
  plannedUnit,
  stepSettingFor,
  type StepSetting,
} from './steps.service.js';
import type { Tx } from '../db/database.js';
import { FORM_OF_ACTION, issueForm } from './forms.service.js';
import {
  cancelReminders,
  notifyCitizen,
  notifySettingsOf,
  type NotifySettings,
} from '../notifications/notifications.service.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import type { ActionPlan } from './dossier-actions.js';
import { assertFeeAllowsReturn } from '../payments/return-gate.js';

const m = vi.dossiers.errors;

/**
 * Loads a dossier (by code or id) the account may see. Another office's dossier is "not found"
 * exactly like a missing one, so codes of other offices cannot be probed.
 */
export async function loadAccessibleDossier(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
): Promise<DossierRow> {
  const dossier = await findDossierByRef(ctx.db, ref);
  if (!dossier) throw new NotFoundError(m.notFound, 'dossier_not_found');
  const offices = await accessibleOfficeIds(ctx, account);
  if (!offices.includes(dossier.office_id))
    throw new NotFoundError(m.notFound, 'dossier_not_found');
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
  if (!input.version || !Number.isInteger(version) || version < 1)
    throw new ValidationError({ version: m.versionRequired });

  const dossier = await loadAccessibleDossier(ctx, account, ref);
  const from = dossier.status as DossierStatus;
  const to = nextStatus(from, action);
  if (!to) {
    throw new ConflictError(
      m.transition(vi.dossiers.action[action] ?? action, vi.dossiers.status[from] ?? from),
      'invalid_transition',
    );
  }
  if (dossier.version !== version) throw new ConflictError(m.stale, 'stale_version');
  if (action === 'reschedule' && dossier.rescheduled_due_on)
    throw new ConflictError(m.alreadyRescheduled, 'already_rescheduled');
  if (action === 'return_result') await assertFeeAllowsReturn(ctx, dossier);

  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  // Loaded before the transaction: the cache reads through the connection the transaction holds.
  const calendar = await ctx.masterData.calendar();
  const rules = {
    closingTime: ctx.config.officeClosingTime,
    sameDayCutoffTime: ctx.config.sameDayCutoffTime,
    supplementClock: ctx.config.supplementClock,
  };
  const plan = planAction(rules, calendar, dossier, action, input, now);
  const [steps, setting, offices] = await Promise.all([
    findStepsOf(ctx.db, dossier.id),
    stepSettingFor(ctx, dossier),
    ctx.masterData.offices(),
  ]);
  const officeName = offices.find((o) => o.id === dossier.office_id)?.short_name ?? '';
  const notify = dossier.notify_channels ? await notifySettingsOf(ctx) : null;
  return inTransaction(ctx.db, async (tx) => {
    const ok = await updateDossierAtVersion(tx, dossier.id, version, {
      ...plan.patch,
      status: to,
      updated_at: nowIso,
    });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    await moveSteps(
      tx,
      setting,
      { ...dossier, ...plan.patch } as DossierRow,
      steps,
      action,
      account,
      now,
    );
    const form = FORM_OF_ACTION[action];
    if (form)
      await issueForm(tx, {
        dossierId: dossier.id,
        officeId: dossier.office_id,
        kind: form,
        at: now,
        by: account,
      });
    if (notify)
      await tellCitizen(
        tx,
        notify,
        calendar,
        { ...dossier, ...plan.patch } as DossierRow,
        action,
        plan,
        officeName,
        now,
      );
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
    return (await findDossierById(tx, dossier.id))!;
  });
}

/**
 * What a workflow action does to the dossier's steps (the counter's actions, unchanged in what
 * they do to the dossier): handing to processing opens the planned unit's queue; a supplement
 * request pauses the open step and the papers' arrival reopens it where it was; the result at
 * the counter opens the wait for the citizen; the return, a refusal, a stop or a withdrawal
 * close the open step. A dossier without steps (imported history) gains none.
 */
async function moveSteps(
  tx: Tx,
  setting: StepSetting,
  dossier: DossierRow,
  steps: StepWithUnit[],
  action: DossierAction,
  account: CurrentAccount,
  now: Date,
): Promise<void> {
  if (steps.length === 0) return;
  const open = openStepOf(steps);
  const me = { id: account.id, fullName: account.fullName };
  const given = { id: me.id, name: me.fullName };
  const close = (reason: Parameters<typeof closeStep>[4]) =>
    open ? closeStep(tx, setting, open, me, reason, now) : Promise.resolve(true);
  switch (action) {
    case 'start_processing': {
      await close('handed_over');
      const unit = plannedUnit(setting, 'processing');
      await openStep(
        tx,
        setting,
        dossier,
        nextPosition(steps),
        {
          kind: 'processing',
          unit: unit ? { id: unit.id, name: unit.name } : null,
          holder: null,
          givenBy: given,
        },
        now,
      );
      return;
    }
    case 'request_supplement':
      await close('supplement');
      return;
    case 'receive_supplement': {
      const paused = [...steps].reverse().find((s) => s.end_reason === 'supplement');
      if (!paused || open) return;
      const holder = paused.holder_account_id
        ? { id: paused.holder_account_id, fullName: paused.holder_name ?? '' }
        : null;
      const unit = paused.unit_id ? { id: paused.unit_id, name: paused.unit_name ?? '' } : null;
      await openStep(
        tx,
        setting,
        dossier,
        nextPosition(steps),
        { kind: paused.kind, unit, holder, givenBy: given },
        now,
      );
      return;
    }
    case 'mark_result_ready':
      await close('result_received');
      await openStep(
        tx,
        setting,
        dossier,
        nextPosition(steps),
        { kind: 'return', unit: null, holder: null, givenBy: given },
        now,
      );
      return;
    case 'return_result':
      await close('returned');
      return;
    case 'refuse':
    case 'stop':
    case 'withdraw':
      await close('closed');
      return;
    case 'reschedule':
      return;
  }
}

/** The citizen's message of a workflow action, written in its transaction (consent permitting). */
async function tellCitizen(
  tx: Tx,
  settings: NotifySettings,
  calendar: WorkingCalendar,
  dossier: DossierRow,
  action: DossierAction,
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
  switch (action) {
    case 'request_supplement':
      return notifyCitizen(tx, settings, {
        ...event,
        kind: 'supplement',
        documents: details.documents,
        reason: details.reason,
      });
    case 'receive_supplement':
      // Only a date that moved is news; the reminder follows the date either way.
      if (details.dueOnAfter && details.dueOnAfter !== details.dueOnBefore)
        return notifyCitizen(
          tx,
          settings,
          { ...event, kind: 'due_moved' },
          { calendar, dueOn: details.dueOnAfter },
        );
      return;
    case 'reschedule':
      return notifyCitizen(
        tx,
        settings,
        { ...event, kind: 'rescheduled', reason: details.reason },
        { calendar, dueOn: details.newDueOn ?? null },
      );
    case 'mark_result_ready':
      return notifyCitizen(tx, settings, { ...event, kind: 'result_ready' });
    case 'return_result':
      return notifyCitizen(tx, settings, { ...event, kind: 'returned' });
    case 'refuse':
    case 'stop':
    case 'withdraw':
      return cancelReminders(tx, dossier.id);
    default:
      return;
  }
}
