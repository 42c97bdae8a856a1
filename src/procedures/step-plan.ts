import type { PlannedStepKind, StepKind } from '../db/schema.js';

/**
 * A procedure's step plan: the share of its legal time each step takes, and which unit takes
 * it (docs/ARCHITECTURE.md "Handover"). Pure; part of the catalog, read by the dossiers' steps.
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
