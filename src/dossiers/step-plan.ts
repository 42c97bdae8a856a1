import type { WorkingCalendar } from '../calendar/working-days.js';
import {
  addWorkingMinutes,
  workingMinutesBetween,
  type CountedStretch,
  type WorkingHours,
} from '../calendar/working-hours.js';
import type { PlannedStepKind, StepKind } from '../db/schema.js';
import { localDateOf } from '../lib/vietnam-time.js';
import type { Outcome } from './dossier-status.js';

/**
 * A procedure's step plan and the timing of each step (docs/ARCHITECTURE.md "Handover"). Pure.
 * The legal time is the procedure's working days as working hours (8 hours a day, so the plan
 * means the same in every office); each step gets a share of it in minutes.
 */
export const PLANNED_STEP_KINDS: readonly PlannedStepKind[] = [
  'reception',
  'processing',
  'approval',
  'result',
];
export const MINUTES_PER_PLAN_DAY = 480;

export interface PlannedStep {
  kind: PlannedStepKind;
  minutes: number;
  /** Which unit (by code, in the dossier's office) takes the step; null: the office's first unit. */
  unitCode: string | null;
}

export interface StepPlan {
  steps: PlannedStep[];
  /** No plan was set for the procedure: the default shares apply. */
  isDefault: boolean;
}

/** A 0-day (same-day) procedure still has one working day to share out. */
export function legalMinutes(processingDays: number): number {
  return Math.max(processingDays, 1) * MINUTES_PER_PLAN_DAY;
}

const quarter = (minutes: number) => Math.max(15, Math.round(minutes / 15) * 15);

/**
 * The default shares: reception hands over within 10 % (at most half a day), approval 20 %, the
 * result back to the counter 10 % (at most a day), processing the rest.
 */
export function defaultStepPlan(processingDays: number): PlannedStep[] {
  const total = legalMinutes(processingDays);
  const reception = Math.min(240, quarter(total * 0.1));
  const approval = quarter(total * 0.2);
  const result = Math.min(480, quarter(total * 0.1));
  return [
    { kind: 'reception', minutes: reception, unitCode: null },
    { kind: 'processing', minutes: total - reception - approval - result, unitCode: null },
    { kind: 'approval', minutes: approval, unitCode: null },
    { kind: 'result', minutes: result, unitCode: null },
  ];
}

/** The stored plan of a procedure when it has one (every planned kind), else the default. */
export function resolveStepPlan(
  stored: { kind: PlannedStepKind; minutes: number; unit_code: string | null }[],
  processingDays: number,
): StepPlan {
  if (PLANNED_STEP_KINDS.every((k) => stored.some((s) => s.kind === k))) {
    return {
      steps: PLANNED_STEP_KINDS.map((k) => stored.find((s) => s.kind === k)!).map((s) => ({
        kind: s.kind,
        minutes: s.minutes,
        unitCode: s.unit_code,
      })),
      isDefault: false,
    };
  }
  return { steps: defaultStepPlan(processingDays), isDefault: true };
}

export function plannedMinutes(plan: StepPlan, kind: StepKind): number | null {
  return plan.steps.find((s) => s.kind === kind)?.minutes ?? null;
}

/** The minutes planned for the steps after `kind` (for "can the dossier still make its date?"). */
export function minutesAfter(plan: StepPlan, kind: StepKind): number {
  const index = plan.steps.findIndex((s) => s.kind === kind);
  return index < 0 ? 0 : plan.steps.slice(index + 1).reduce((sum, s) => sum + s.minutes, 0);
}

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
