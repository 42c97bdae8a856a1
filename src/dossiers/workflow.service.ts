import type { Updateable } from 'kysely';
import type { AppContext } from '../context.js';
import { computeDueDate, type DayInfo, type WorkingCalendar } from '../calendar/working-days.js';
import type { DossierRow, DossierTable } from '../db/schema.js';
import type { CurrentAccount } from '../http/auth.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { instantAtLocal, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../offices/office-scope.js';
import { classifyOutcome, nextStatus, type DossierAction, type DossierStatus } from './dossier-status.js';
import { findDossierByRef, insertDossierEvent, updateDossierAtVersion } from './dossiers.repository.js';
import { actionInputSchema, hasControlCharacters, zodFieldErrors, type ActionInput } from './dossiers.schemas.js';
import { serializeDue, type StoredDueExplanation } from './intake.service.js';

const m = vi.dossiers.errors;

/** Loads a dossier (by code or id) the account may see, or throws 404 / 403. */
export async function loadAccessibleDossier(ctx: AppContext, account: CurrentAccount, ref: string): Promise<DossierRow> {
  const dossier = await findDossierByRef(ctx.db, ref);
  if (!dossier) throw new NotFoundError(m.notFound, 'dossier_not_found');
  const offices = await accessibleOfficeIds(ctx, account);
  if (!offices.includes(dossier.office_id)) throw new ForbiddenError(m.notYourOffice, 'dossier_other_office');
  return dossier;
}

/** The actions the page should offer now: allowed by the workflow and by their own conditions. */
export function availableActions(dossier: DossierRow): DossierAction[] {
  const status = dossier.status as DossierStatus;
  const all: DossierAction[] = [
    'start_processing', 'request_supplement', 'receive_supplement', 'mark_result_ready', 'return_result',
    'reschedule', 'refuse', 'stop', 'withdraw',
  ];
  return all.filter((a) => nextStatus(status, a) !== null && !(a === 'reschedule' && dossier.rescheduled_due_on));
}

interface ActionPlan {
  patch: Updateable<DossierTable>;
  note: string;
  details: Record<string, unknown>;
}

function requireText(value: string, field: string, message: string, min: number, fields: Record<string, string>): void {
  if (value.length < min) fields[field] = message;
}

/**
 * Moves a dossier through one step of its workflow. One transaction: check the transition,
 * update the dossier at the version the user saw (optimistic locking), append the event. An
 * impossible transition or a stale version is a 409 with a clear message, never a silent no-op.
 */
export async function performDossierAction(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  action: DossierAction,
  raw: unknown,
): Promise<DossierRow> {
  const parsed = actionInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  const input: ActionInput = parsed.data;
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1) throw new ValidationError({ version: m.versionRequired });
  for (const key of ['returned_to', 'new_due_date'] as const) {
    if (hasControlCharacters(input[key])) throw new ValidationError({ [key]: 'Không được chứa ký tự điều khiển.' });
  }
  for (const key of ['note', 'reason', 'supplement_what'] as const) {
    if (hasControlCharacters(input[key].replace(/[\r\n\t]/g, ' '))) throw new ValidationError({ [key]: 'Không được chứa ký tự điều khiển.' });
  }

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
  const today = localDateOf(now);

  // Loaded before the transaction: the cache reads through the connection the transaction holds.
  const calendar = await ctx.masterData.calendar();
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await planAction(ctx, calendar, dossier, action, input, now, today);
    const ok = await updateDossierAtVersion(tx, dossier.id, version, { ...plan.patch, status: to, updated_at: nowIso });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    await insertDossierEvent(tx, {
      dossier_id: dossier.id,
      at: nowIso,
      actor_account_id: account.id,
      actor_name: account.fullName,
      action,
      from_status: from,
      to_status: to,
      note: plan.note,
      details: JSON.stringify(plan.details),
    });
    return (await tx.selectFrom('dossiers').selectAll().where('id', '=', dossier.id).executeTakeFirstOrThrow()) as DossierRow;
  });
}

async function planAction(
  ctx: AppContext,
  calendar: WorkingCalendar,
  dossier: DossierRow,
  action: DossierAction,
  input: ActionInput,
  now: Date,
  today: string,
): Promise<ActionPlan> {
  const nowIso = now.toISOString();
  const fields: Record<string, string> = {};
  const done = (plan: ActionPlan): ActionPlan => {
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return plan;
  };

  switch (action) {
    case 'start_processing':
      return done({ patch: {}, note: input.note, details: {} });

    case 'request_supplement': {
      requireText(input.supplement_what, 'supplement_what', m.supplementWhatRequired, 3, fields);
      requireText(input.reason, 'reason', m.reasonRequired, 10, fields);
      return done({
        patch: { supplement_requested_at: nowIso },
        note: input.reason,
        details: { documents: input.supplement_what, reason: input.reason, clockPolicy: ctx.config.supplementClock, dueOnBefore: dossier.due_on },
      });
    }

    case 'receive_supplement': {
      const rules = { closingTime: ctx.config.officeClosingTime, sameDayCutoffTime: ctx.config.sameDayCutoffTime };
      let explanation: StoredDueExplanation;
      if (ctx.config.supplementClock === 'restart') {
        explanation = serializeDue(computeDueDate(calendar, now, dossier.processing_days, rules), 'supplement_restart');
      } else {
        // Pause: the due date moves by the working days spent waiting for the citizen.
        const pausedOn = localDateOf(new Date(dossier.supplement_requested_at ?? nowIso));
        const waited = calendar.workingDaysBetween(pausedOn, today);
        const base = dossier.due_on ?? today;
        const walk = calendar.walk(base, waited);
        explanation = {
          ...(JSON.parse(dossier.due_explanation ?? '{}') as StoredDueExplanation),
          dueOn: walk.last,
          dueAt: instantAtLocal(walk.last, ctx.config.officeClosingTime).toISOString(),
          basis: 'supplement_pause',
          pausedWorkingDays: waited,
        };
      }
      return done({
        patch: {
          due_on: explanation.dueOn,
          due_at: explanation.dueAt,
          due_explanation: JSON.stringify(explanation),
          supplement_requested_at: null,
        },
        note: input.note,
        details: {
          clockPolicy: ctx.config.supplementClock,
          dueOnBefore: dossier.due_on,
          dueOnAfter: explanation.dueOn,
          dueAtAfter: explanation.dueAt,
          pausedWorkingDays: explanation.pausedWorkingDays ?? null,
        },
      });
    }

    case 'mark_result_ready': {
      const outcome = classifyOutcome(today, dossier.due_on ?? today, dossier.rescheduled_due_on !== null);
      return done({
        patch: { result_at: nowIso, result_on: today, outcome },
        note: input.note,
        details: { outcome, dueOn: dossier.due_on, resultOn: today },
      });
    }

    case 'return_result': {
      const returnedTo = input.returned_to.replace(/\s+/g, ' ');
      requireText(returnedTo, 'returned_to', m.returnedToRequired, 2, fields);
      return done({
        patch: { returned_at: nowIso, returned_to: returnedTo, closed_at: nowIso },
        note: input.note,
        details: { returnedTo },
      });
    }

    case 'reschedule': {
      requireText(input.reason, 'reason', m.reasonRequired, 10, fields);
      const newDate = input.new_due_date;
      if (!newDate) fields.new_due_date = m.newDateRequired;
      else if (!isIsoDate(newDate) || !calendar.isWorkingDay(newDate) || newDate <= (dossier.due_on ?? '') || newDate < today) {
        fields.new_due_date = m.newDateInvalid;
      }
      const dueAt = fields.new_due_date ? '' : instantAtLocal(newDate, ctx.config.officeClosingTime).toISOString();
      return done({
        patch: { rescheduled_due_on: newDate, rescheduled_due_at: dueAt },
        note: input.reason,
        details: { reason: input.reason, originalDueOn: dossier.due_on, newDueOn: newDate, newDueAt: dueAt },
      });
    }

    case 'refuse':
    case 'stop':
    case 'withdraw': {
      requireText(input.reason, 'reason', m.reasonRequired, 10, fields);
      return done({
        patch: { closed_at: nowIso, ...(action === 'refuse' ? { refusal_reason: input.reason } : {}) },
        note: input.reason,
        details: { reason: input.reason },
      });
    }
  }
}

/** Days passed over, grouped into runs for a readable explanation ("25/01–02/02 Tết Nguyên đán"). */
export function groupSkippedDays(days: (Pick<DayInfo, 'day' | 'name'> & { kind: string })[]): { from: string; to: string; kind: string; name?: string }[] {
  const runs: { from: string; to: string; kind: string; name?: string }[] = [];
  for (const d of days) {
    const last = runs.at(-1);
    const next = last ? new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
    if (last && next === d.day && last.kind === d.kind && last.name === d.name) last.to = d.day;
    else runs.push({ from: d.day, to: d.day, kind: d.kind, ...(d.name ? { name: d.name } : {}) });
  }
  return runs;
}
