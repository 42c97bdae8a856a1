import type { Deps } from '../../context.js';
import { workingMinutesBetween } from '../../calendar/working-hours.js';
import type { DossierRow } from '../../db/schema.js';
import { vi } from '../../locale/vi.js';
import { membersOf, type UnitMember } from '../../units/units.service.js';
import {
  needsApologyPrompt,
  stepAlert,
  type StepAlert,
  type StepDeadlineExplanation,
} from './step-timing.js';
import { minutesAfter } from '../../procedures/step-plan.js';
import type { StepWithUnit } from './steps.repository.js';
import { plannedUnit, stepSettingFor } from './steps.service.js';

/** A unit a handover may name, with its active members. */
export interface UnitChoice {
  id: number;
  code: string;
  name: string;
  members: UnitMember[];
}

export interface StepView extends StepWithUnit {
  alert: StepAlert;
  holderLabel: string;
  explanation: StepDeadlineExplanation | null;
}

/** The label of who holds a step: the named officer, else the unit, else the counter. */
export function holderLabelOf(
  step: Pick<StepWithUnit, 'holder_name' | 'unit_name' | 'kind'>,
): string {
  const place = step.unit_name ?? vi.handover.counterUnit;
  return step.holder_name ? `${step.holder_name} (${place})` : place;
}

/**
 * A dossier's steps as its page and the API show them: who holds it now, since when, until
 * when; the units (and their members) a handover may name; and whether the apology letter is
 * due now. Which handovers the account may do is the action table's and the policy's.
 */
export async function stepsOverview(
  deps: Deps<'db' | 'clock' | 'masterData'>,
  dossier: DossierRow,
  rows: StepWithUnit[],
) {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const steps: StepView[] = rows.map((s) => ({
    ...s,
    alert: stepAlert(s, nowIso),
    holderLabel: holderLabelOf(s),
    explanation: s.due_explanation
      ? (JSON.parse(s.due_explanation) as StepDeadlineExplanation)
      : null,
  }));
  const open = steps.find((s) => s.finished_at === null) ?? null;
  const openDossier = ['received', 'processing'].includes(dossier.status);
  if (rows.length === 0 || !openDossier)
    return {
      steps,
      open,
      units: [] as UnitChoice[],
      plannedUnitId: null as number | null,
      apologyPrompt: false,
    };

  const setting = await stepSettingFor(deps, dossier);
  const members = await membersOf(
    deps,
    setting.units.map((u) => u.id),
  );
  const dueAtText = dossier.rescheduled_due_at ?? dossier.due_at;
  const dueAt = dueAtText ? new Date(dueAtText) : null;
  const apologyPrompt = needsApologyPrompt({
    open: true,
    rescheduled: dossier.rescheduled_due_on !== null,
    now,
    dueAt,
    minutesLeft: dueAt ? workingMinutesBetween(setting.calendar, setting.hours, now, dueAt) : 0,
    minutesStillPlanned: open ? minutesAfter(setting.plan, open.kind) : 0,
    currentStepOverdue: open?.alert === 'overdue',
  });
  const units: UnitChoice[] = setting.units.map((u) => ({
    id: u.id,
    code: u.code,
    name: u.name,
    members: members.filter((x) => x.unit_id === u.id && x.active === 1),
  }));
  // The unit a handover from the counter goes to by default: the one the step plan names.
  const plannedUnitId = plannedUnit(setting, 'processing')?.id ?? null;
  return { steps, open, units, plannedUnitId, apologyPrompt };
}

export type StepsOverview = Awaited<ReturnType<typeof stepsOverview>>;

/** What the API shows of a step. */
export function presentStep(s: StepView) {
  return {
    position: s.position,
    kind: s.kind,
    kind_label: vi.handover.stepKind[s.kind] ?? s.kind,
    unit: s.unit_id ? { id: s.unit_id, code: s.unit_code, name: s.unit_name } : null,
    holder: s.holder_account_id ? { account_id: s.holder_account_id, name: s.holder_name } : null,
    holder_label: s.holderLabel,
    given_by: s.given_by_name,
    started_at: s.started_at,
    planned_minutes: s.planned_minutes,
    due_at: s.due_at,
    at_risk_from: s.risk_at,
    finished_at: s.finished_at,
    finished_by: s.finished_by_name,
    end_reason: s.end_reason,
    outcome: s.outcome,
    worked_minutes: s.worked_minutes,
    alert: s.alert,
    note: s.note,
  };
}
