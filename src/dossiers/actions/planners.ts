import type { Updateable } from 'kysely';
import { computeDueDate, type WorkingCalendar } from '../../calendar/working-days.js';
import type { DossierRow, DossierTable } from '../../db/schema.js';
import { ValidationError } from '../../errors.js';
import {
  instantAtLocal,
  isIsoDate,
  localDateOf,
  looksLikeDate,
  parseTypedDate,
} from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import { classifyOutcome } from '../record/dossier-status.js';
import { serializeDue, type StoredDueExplanation } from '../record/due-explanation.js';
import type { ActionInput } from './action-input.js';

const m = vi.dossiers.errors;

/**
 * What one workflow action changes on a dossier: the columns, the event's note and details.
 * Pure: the calendar, the rules and the instant are given; the service applies the plan in one
 * transaction at the version the user saw. Each action's planner is named beside its other
 * traits in the action table (action-table.ts).
 */
export interface ActionPlan {
  patch: Updateable<DossierTable>;
  note: string;
  details: Record<string, unknown>;
}

export interface ActionRules {
  closingTime: string;
  sameDayCutoffTime: string;
  /** docs/DOMAIN.md §4: after a supplement the clock restarts (default) or resumes. */
  supplementClock: 'restart' | 'pause';
}

/** What a planner is given. */
export interface PlanInput {
  rules: ActionRules;
  calendar: WorkingCalendar;
  dossier: DossierRow;
  input: ActionInput;
  now: Date;
}

export type Planner = (p: PlanInput) => ActionPlan;

/** A planner's checks: every missing or bad field is named at once (one ValidationError). */
function checks() {
  const fields: Record<string, string> = {};
  return {
    fields,
    requireText(value: string, field: string, message: string, min: number) {
      if (value.length < min) fields[field] = message;
    },
    done(plan: ActionPlan): ActionPlan {
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);
      return plan;
    },
  };
}

/** A note only: the action moves the status (and the steps), nothing else. */
export const planNote: Planner = ({ input }) => ({ patch: {}, note: input.note, details: {} });

export const planSupplementRequest: Planner = ({ rules, dossier, input, now }) => {
  const c = checks();
  c.requireText(input.supplement_what, 'supplement_what', m.supplementWhatRequired, 3);
  c.requireText(input.reason, 'reason', m.reasonRequired, 10);
  return c.done({
    patch: { supplement_requested_at: now.toISOString() },
    note: input.reason,
    details: {
      documents: input.supplement_what,
      reason: input.reason,
      clockPolicy: rules.supplementClock,
      dueOnBefore: dossier.due_on,
    },
  });
};

/** The papers arrived: the clock restarts, or resumes by the working days waited. */
export const planSupplementReceived: Planner = ({ rules, calendar, dossier, input, now }) => {
  const today = localDateOf(now);
  let explanation: StoredDueExplanation;
  if (rules.supplementClock === 'restart') {
    explanation = serializeDue(
      computeDueDate(calendar, now, dossier.processing_days, rules),
      'supplement_restart',
    );
  } else {
    // Pause: the due date moves by the working days spent waiting for the citizen.
    const pausedOn = localDateOf(new Date(dossier.supplement_requested_at ?? now.toISOString()));
    const waited = calendar.workingDaysBetween(pausedOn, today);
    const walk = calendar.walk(dossier.due_on ?? today, waited);
    explanation = {
      ...(JSON.parse(dossier.due_explanation ?? '{}') as StoredDueExplanation),
      dueOn: walk.last,
      dueAt: instantAtLocal(walk.last, rules.closingTime).toISOString(),
      basis: 'supplement_pause',
      pausedWorkingDays: waited,
    };
    if (walk.counted.some((d) => d.provisional) || walk.skipped.some((d) => d.provisional))
      explanation.provisional = true;
  }
  return {
    patch: {
      due_on: explanation.dueOn,
      due_at: explanation.dueAt,
      due_explanation: JSON.stringify(explanation),
      supplement_requested_at: null,
    },
    note: input.note,
    details: {
      clockPolicy: rules.supplementClock,
      dueOnBefore: dossier.due_on,
      dueOnAfter: explanation.dueOn,
      dueAtAfter: explanation.dueAt,
      pausedWorkingDays: explanation.pausedWorkingDays ?? null,
    },
  };
};

/** The result is at the counter: early, on time or late is fixed now. */
export const planResultReady: Planner = ({ dossier, input, now }) => {
  const today = localDateOf(now);
  const outcome = classifyOutcome(
    today,
    dossier.due_on ?? today,
    dossier.rescheduled_due_on !== null,
  );
  return {
    patch: { result_at: now.toISOString(), result_on: today, outcome },
    note: input.note,
    details: { outcome, dueOn: dossier.due_on, resultOn: today },
  };
};

/** The applicant, or a person with their authorisation (name, ID number, the paper), takes it. */
export const planReturn: Planner = ({ input, now }) => {
  const c = checks();
  const nowIso = now.toISOString();
  if (input.returned_by === 'authorised') {
    const name = input.proxy_name.replace(/\s+/g, ' ');
    const id = input.proxy_personal_id.replace(/\s/g, '');
    c.requireText(name, 'proxy_name', m.proxyNameRequired, 2);
    if (!/^(\d{12}|\d{9})$/.test(id)) c.fields.proxy_personal_id = m.proxyIdInvalid;
    c.requireText(input.proxy_paper, 'proxy_paper', m.proxyPaperRequired, 3);
    return c.done({
      patch: { returned_at: nowIso, returned_to: name, closed_at: nowIso },
      note: input.note,
      details: {
        returnedBy: 'authorised',
        returnedTo: name,
        proxyPersonalId: id,
        authorisation: input.proxy_paper,
      },
    });
  }
  const returnedTo = input.returned_to.replace(/\s+/g, ' ');
  c.requireText(returnedTo, 'returned_to', m.returnedToRequired, 2);
  return c.done({
    patch: { returned_at: nowIso, returned_to: returnedTo, closed_at: nowIso },
    note: input.note,
    details: { returnedBy: 'applicant', returnedTo },
  });
};

/** The apology and a new date (once): a working day after the old date, not in the past. */
export const planReschedule: Planner = ({ rules, calendar, dossier, input, now }) => {
  const c = checks();
  const today = localDateOf(now);
  c.requireText(input.reason, 'reason', m.reasonRequired, 10);
  const newDate = parseTypedDate(input.new_due_date) ?? input.new_due_date;
  if (!newDate) c.fields.new_due_date = m.newDateRequired;
  else if (looksLikeDate(input.new_due_date) && !parseTypedDate(input.new_due_date))
    c.fields.new_due_date = vi.counter.dates.notInCalendar(input.new_due_date.trim());
  else if (
    !isIsoDate(newDate) ||
    !calendar.isWorkingDay(newDate) ||
    newDate <= (dossier.due_on ?? '') ||
    newDate < today
  ) {
    c.fields.new_due_date = m.newDateInvalid;
  }
  const dueAt = c.fields.new_due_date
    ? ''
    : instantAtLocal(newDate, rules.closingTime).toISOString();
  return c.done({
    patch: { rescheduled_due_on: newDate, rescheduled_due_at: dueAt },
    note: input.reason,
    details: {
      reason: input.reason,
      originalDueOn: dossier.due_on,
      newDueOn: newDate,
      newDueAt: dueAt,
    },
  });
};

/** Closing without a result (stop, withdrawal): a reason of ten letters at least. */
export const planClose: Planner = ({ input, now }) => {
  const c = checks();
  c.requireText(input.reason, 'reason', m.reasonRequired, 10);
  return c.done({
    patch: { closed_at: now.toISOString() },
    note: input.reason,
    details: { reason: input.reason },
  });
};

/** A refusal closes the dossier and keeps its reason on the row (the refusal slip prints it). */
export const planRefusal: Planner = (p) => {
  const plan = planClose(p);
  return { ...plan, patch: { ...plan.patch, refusal_reason: p.input.reason } };
};
