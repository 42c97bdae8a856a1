import type { Deps } from '../../context.js';
import type { WorkingCalendar } from '../../calendar/working-days.js';
import {
  workingHoursOf,
  workingMinutesBetween,
  type WorkingHours,
} from '../../calendar/working-hours.js';
import type { Tx } from '../../db/database.js';
import type { DossierRow, ProcessingUnitRow, StepEndReason, StepKind } from '../../db/schema.js';
import { unitsOfOffices } from '../../units/units.service.js';
import { stepOutcome, stepTiming } from './step-timing.js';
import { plannedMinutes, resolveStepPlan, type StepPlan } from '../../procedures/step-plan.js';
import { finishStep, insertStep, replanOpenStep, type StepWithUnit } from './steps.repository.js';

/**
 * Keeping a dossier's steps inside the transaction of the change that moves them: open the next
 * step with its deadline, close the current one with its outcome. Everything a step needs to
 * know is read before the transaction (`StepSetting`), so the transaction only writes.
 */
export interface StepSetting {
  calendar: WorkingCalendar;
  hours: WorkingHours;
  plan: StepPlan;
  /** The office's active units (by code for the plan; the first is the default). */
  units: ProcessingUnitRow[];
}

export interface StepPerson {
  id: number;
  fullName: string;
}

/** Reads what steps of a dossier of this office and procedure need (master data, units). */
export async function stepSettingFor(
  deps: Deps<'db' | 'masterData'>,
  dossier: Pick<DossierRow, 'office_id' | 'procedure_code' | 'processing_days'>,
  withUnits = true,
): Promise<StepSetting> {
  const [calendar, offices, procedure, units] = await Promise.all([
    deps.masterData.calendar(),
    deps.masterData.offices(),
    deps.masterData.procedure(dossier.procedure_code),
    withUnits ? unitsOfOffices(deps, [dossier.office_id]) : Promise.resolve([]),
  ]);
  return {
    calendar,
    hours: workingHoursOf(offices.find((o) => o.id === dossier.office_id)),
    plan: resolveStepPlan(procedure?.stepPlan ?? [], dossier.processing_days),
    units: units.filter((u) => u.active === 1),
  };
}

/** The unit the plan sends a step to: its unit code in this office, else the office's first unit. */
export function plannedUnit(setting: StepSetting, kind: StepKind): ProcessingUnitRow | null {
  const code = setting.plan.steps.find((s) => s.kind === kind)?.unitCode;
  return (
    (code ? setting.units.find((u) => u.code === code) : undefined) ?? setting.units[0] ?? null
  );
}

export interface NewStep {
  kind: StepKind;
  unit: { id: number; name: string } | null;
  holder: StepPerson | null;
  /** Who handed the dossier over (the citizen at intake: no account). */
  givenBy: { id: number | null; name: string };
  note?: string;
}

type DueOf = Pick<DossierRow, 'id' | 'office_id' | 'received_at' | 'due_at' | 'rescheduled_due_at'>;

export async function openStep(
  tx: Tx,
  setting: StepSetting,
  dossier: DueOf,
  position: number,
  step: NewStep,
  now: Date,
): Promise<void> {
  const minutes = step.kind === 'return' ? null : plannedMinutes(setting.plan, step.kind);
  const dueAtText = dossier.rescheduled_due_at ?? dossier.due_at;
  const timing =
    minutes === null
      ? null
      : stepTiming(setting.calendar, setting.hours, now, minutes, {
          receivedAt: new Date(dossier.received_at),
          dueAt: dueAtText ? new Date(dueAtText) : null,
        });
  await insertStep(tx, {
    dossier_id: dossier.id,
    office_id: dossier.office_id,
    position,
    kind: step.kind,
    unit_id: step.unit?.id ?? null,
    holder_account_id: step.holder?.id ?? null,
    holder_name: step.holder?.fullName ?? null,
    given_by_account_id: step.givenBy.id,
    given_by_name: step.givenBy.name,
    started_at: now.toISOString(),
    planned_minutes: minutes,
    due_at: timing?.dueAt.toISOString() ?? null,
    risk_at: timing?.riskAt.toISOString() ?? null,
    due_explanation: timing ? JSON.stringify(timing.explanation) : null,
    note: step.note ?? '',
  });
}

/**
 * Plans an open step's deadline again from its start, with the setting's plan and the dossier's
 * date as they are now: a corrected intake changed the procedure, so the reception's share of
 * the legal time changed too.
 */
export async function replanStep(
  tx: Tx,
  setting: StepSetting,
  dossier: DueOf,
  step: Pick<StepWithUnit, 'id' | 'kind' | 'started_at'>,
): Promise<void> {
  const minutes = step.kind === 'return' ? null : plannedMinutes(setting.plan, step.kind);
  const dueAtText = dossier.rescheduled_due_at ?? dossier.due_at;
  const timing =
    minutes === null
      ? null
      : stepTiming(setting.calendar, setting.hours, new Date(step.started_at), minutes, {
          receivedAt: new Date(dossier.received_at),
          dueAt: dueAtText ? new Date(dueAtText) : null,
        });
  await replanOpenStep(tx, step.id, {
    planned_minutes: minutes,
    due_at: timing?.dueAt.toISOString() ?? null,
    risk_at: timing?.riskAt.toISOString() ?? null,
    due_explanation: timing ? JSON.stringify(timing.explanation) : null,
  });
}

/** Closes a step with its outcome and the working time it took. */
export async function closeStep(
  tx: Tx,
  setting: StepSetting,
  step: StepWithUnit,
  by: StepPerson,
  reason: StepEndReason,
  now: Date,
  note = '',
  onBehalf = false,
): Promise<boolean> {
  return finishStep(tx, step.id, {
    ...(onBehalf ? { on_behalf: 1 } : {}),
    finished_at: now.toISOString(),
    finished_by_account_id: by.id,
    finished_by_name: by.fullName,
    end_reason: reason,
    outcome: stepOutcome(now, step.due_at ? new Date(step.due_at) : null),
    worked_minutes: workingMinutesBetween(
      setting.calendar,
      setting.hours,
      new Date(step.started_at),
      now,
    ),
    ...(note ? { note } : {}),
  });
}

export function openStepOf(steps: StepWithUnit[]): StepWithUnit | null {
  return steps.find((s) => s.finished_at === null) ?? null;
}

export function nextPosition(steps: StepWithUnit[]): number {
  return steps.reduce((max, s) => Math.max(max, s.position), 0) + 1;
}
