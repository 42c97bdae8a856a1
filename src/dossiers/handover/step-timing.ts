import type { WorkingCalendar } from '../../calendar/working-days.js';
import {
  addWorkingMinutes,
  workingMinutesBetween,
  type CountedStretch,
  type WorkingHours,
} from '../../calendar/working-hours.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import type { Outcome } from '../record/dossier-status.js';

/**
 * The timing of a dossier's steps (docs/ARCHITECTURE.md "Handover"): deadlines in working
 * hours, the at-risk instant, a step's outcome and alert, the apology prompt. Pure; the plan
 * each step takes its share from is the catalog's (procedures/step-plan.ts).
 */
export interface StepDeadlineExplanation {
  startAt: string;
  minutes: number;
  counted: CountedStretch[];
  skippedDays: { day: string; kind: string; name?: string }[];
  /** The step's share would end after the dossier's appointment: the appointment is its deadline. */
  cappedAtDue: boolean;
}

export interface StepTiming {
  dueAt: Date;
  riskAt: Date;
  explanation: StepDeadlineExplanation;
}

/** "At risk" once this share of a step's (or the dossier's whole) working time is used. */
export const RISK_SHARE = 0.75;

/**
 * When a step opened at `start` with `minutes` of working time is due, and when it becomes at
 * risk: at 75 % of its own time, or at 75 % of the dossier's whole time if that comes first.
 * A step never falls due after the dossier's appointment.
 */
export function stepTiming(
  calendar: WorkingCalendar,
  hours: WorkingHours,
  start: Date,
  minutes: number,
  dossier: { receivedAt: Date; dueAt: Date | null },
): StepTiming {
  const own = addWorkingMinutes(calendar, hours, start, minutes);
  const cappedAtDue = dossier.dueAt !== null && own.at.getTime() > dossier.dueAt.getTime();
  const dueAt = cappedAtDue ? dossier.dueAt! : own.at;
  let riskAt = addWorkingMinutes(calendar, hours, start, Math.ceil(minutes * RISK_SHARE)).at;
  if (dossier.dueAt) {
    const whole = workingMinutesBetween(calendar, hours, dossier.receivedAt, dossier.dueAt);
    const wholeRisk = addWorkingMinutes(
      calendar,
      hours,
      dossier.receivedAt,
      Math.ceil(whole * RISK_SHARE),
    ).at;
    if (wholeRisk.getTime() < riskAt.getTime()) riskAt = wholeRisk;
  }
  if (riskAt.getTime() > dueAt.getTime()) riskAt = dueAt;
  return {
    dueAt,
    riskAt,
    explanation: {
      startAt: start.toISOString(),
      minutes,
      counted: own.counted,
      skippedDays: own.skipped.map((d) => ({
        day: d.day,
        kind: d.kind,
        ...(d.name ? { name: d.name } : {}),
      })),
      cappedAtDue,
    },
  };
}

/**
 * A step's result on the process-control slip: after its deadline is late (quá hạn); within it,
 * on an earlier local day than the deadline's is early, on the deadline's day on time — the day
 * granularity the dossier's own outcome uses (docs/DECISIONS.md).
 */
export function stepOutcome(finishedAt: Date, dueAt: Date | null): Outcome | null {
  if (!dueAt) return null;
  if (finishedAt.getTime() > dueAt.getTime()) return 'late';
  return localDateOf(finishedAt) < localDateOf(dueAt) ? 'early' : 'on_time';
}

export type StepAlert = 'overdue' | 'at_risk' | null;

export function stepAlert(
  step: { due_at: string | null; risk_at: string | null; finished_at: string | null },
  nowIso: string,
): StepAlert {
  if (step.finished_at || !step.due_at) return null;
  if (step.due_at < nowIso) return 'overdue';
  return step.risk_at && step.risk_at <= nowIso ? 'at_risk' : null;
}

/**
 * Whether the page must prompt the apology letter now (docs/DOMAIN.md §1.4: it goes to the
 * citizen before the date): the dossier is open, not yet rescheduled, before its date, and its
 * current step is already late or the working time left is less than the steps still ahead of
 * it are planned to take.
 */
export function needsApologyPrompt(input: {
  open: boolean;
  rescheduled: boolean;
  now: Date;
  dueAt: Date | null;
  minutesLeft: number;
  minutesStillPlanned: number;
  currentStepOverdue: boolean;
}): boolean {
  if (
    !input.open ||
    input.rescheduled ||
    !input.dueAt ||
    input.now.getTime() >= input.dueAt.getTime()
  )
    return false;
  return input.currentStepOverdue || input.minutesLeft < input.minutesStillPlanned;
}
