import type { Updateable } from 'kysely';
import { computeDueDate, type WorkingCalendar } from '../calendar/working-days.js';
import type { DossierRow, DossierTable } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { instantAtLocal, isIsoDate, localDateOf, parseTypedDate } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import {
  classifyOutcome,
  nextStatus,
  type DossierAction,
  type DossierStatus,
} from './dossier-status.js';
import { serializeDue, type StoredDueExplanation } from './due-explanation.js';
import type { ActionInput } from './dossiers.schemas.js';

const m = vi.dossiers.errors;

/**
 * What one workflow action changes on a dossier: the columns, the event's note and details.
 * Pure: the calendar, the rules and the instant are given; the service applies the plan in one
 * transaction at the version the user saw.
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

const ALL_ACTIONS: DossierAction[] = [
  'start_processing',
  'request_supplement',
  'receive_supplement',
  'mark_result_ready',
  'return_result',
  'reschedule',
  'refuse',
  'stop',
  'withdraw',
];

/** The actions the page should offer now: allowed by the workflow and by their own conditions. */
export function availableActions(
  dossier: Pick<DossierRow, 'status' | 'rescheduled_due_on'>,
): DossierAction[] {
  const status = dossier.status as DossierStatus;
  return ALL_ACTIONS.filter(
    (a) => nextStatus(status, a) !== null && !(a === 'reschedule' && dossier.rescheduled_due_on),
  );
}

/** Plans `action` on `dossier` at `now`; a ValidationError names every missing or bad field. */
export function planAction(
  rules: ActionRules,
  calendar: WorkingCalendar,
  dossier: DossierRow,
  action: DossierAction,
  input: ActionInput,
  now: Date,
): ActionPlan {
  const nowIso = now.toISOString();
  const today = localDateOf(now);
  const fields: Record<string, string> = {};
  const requireText = (value: string, field: string, message: string, min: number) => {
    if (value.length < min) fields[field] = message;
  };
  const done = (plan: ActionPlan): ActionPlan => {
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return plan;
  };

  switch (action) {
    case 'start_processing':
      return done({ patch: {}, note: input.note, details: {} });

    case 'request_supplement':
      requireText(input.supplement_what, 'supplement_what', m.supplementWhatRequired, 3);
      requireText(input.reason, 'reason', m.reasonRequired, 10);
      return done({
        patch: { supplement_requested_at: nowIso },
        note: input.reason,
        details: {
          documents: input.supplement_what,
          reason: input.reason,
          clockPolicy: rules.supplementClock,
          dueOnBefore: dossier.due_on,
        },
      });

    case 'receive_supplement': {
      let explanation: StoredDueExplanation;
      if (rules.supplementClock === 'restart') {
        explanation = serializeDue(
          computeDueDate(calendar, now, dossier.processing_days, rules),
          'supplement_restart',
        );
      } else {
        // Pause: the due date moves by the working days spent waiting for the citizen.
        const pausedOn = localDateOf(new Date(dossier.supplement_requested_at ?? nowIso));
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
      return done({
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
      });
    }

    case 'mark_result_ready': {
      const outcome = classifyOutcome(
        today,
        dossier.due_on ?? today,
        dossier.rescheduled_due_on !== null,
      );
      return done({
        patch: { result_at: nowIso, result_on: today, outcome },
        note: input.note,
        details: { outcome, dueOn: dossier.due_on, resultOn: today },
      });
    }

    case 'return_result': {
      // The applicant, or a person with their authorisation (name, ID number, the paper).
      if (input.returned_by === 'authorised') {
        const name = input.proxy_name.replace(/\s+/g, ' ');
        const id = input.proxy_personal_id.replace(/\s/g, '');
        requireText(name, 'proxy_name', m.proxyNameRequired, 2);
        if (!/^(\d{12}|\d{9})$/.test(id)) fields.proxy_personal_id = m.proxyIdInvalid;
        requireText(input.proxy_paper, 'proxy_paper', m.proxyPaperRequired, 3);
        return done({
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
      requireText(returnedTo, 'returned_to', m.returnedToRequired, 2);
      return done({
        patch: { returned_at: nowIso, returned_to: returnedTo, closed_at: nowIso },
        note: input.note,
        details: { returnedBy: 'applicant', returnedTo },
      });
    }

    case 'reschedule': {
      requireText(input.reason, 'reason', m.reasonRequired, 10);
      const newDate = parseTypedDate(input.new_due_date) ?? input.new_due_date;
      if (!newDate) fields.new_due_date = m.newDateRequired;
      else if (
        !isIsoDate(newDate) ||
        !calendar.isWorkingDay(newDate) ||
        newDate <= (dossier.due_on ?? '') ||
        newDate < today
      ) {
        fields.new_due_date = m.newDateInvalid;
      }
      const dueAt = fields.new_due_date
        ? ''
        : instantAtLocal(newDate, rules.closingTime).toISOString();
      return done({
        patch: { rescheduled_due_on: newDate, rescheduled_due_at: dueAt },
        note: input.reason,
        details: {
          reason: input.reason,
          originalDueOn: dossier.due_on,
          newDueOn: newDate,
          newDueAt: dueAt,
        },
      });
    }

    case 'refuse':
    case 'stop':
    case 'withdraw':
      requireText(input.reason, 'reason', m.reasonRequired, 10);
      return done({
        patch: {
          closed_at: nowIso,
          ...(action === 'refuse' ? { refusal_reason: input.reason } : {}),
        },
        note: input.reason,
        details: { reason: input.reason },
      });
  }
}
