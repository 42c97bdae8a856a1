import type { StepKind, UnitRole } from '../db/schema.js';

/**
 * Who may do which handover on which step (docs/ARCHITECTURE.md "Handover"). Pure: the
 * account's role, its unit memberships and the open step are given.
 */
export const HANDOVER_ACTIONS = ['hand_over', 'claim', 'return_for_rework', 'approve'] as const;
export type HandoverAction = (typeof HANDOVER_ACTIONS)[number];

export function isHandoverAction(text: string): text is HandoverAction {
  return (HANDOVER_ACTIONS as readonly string[]).includes(text);
}

export interface Actor {
  id: number;
  role: 'officer' | 'supervisor' | 'admin';
  memberships: { unit_id: number; role: UnitRole }[];
}

export interface OpenStepView {
  kind: StepKind;
  unit_id: number | null;
  holder_account_id: number | null;
}

export type Refusal =
  'not_your_unit' | 'not_holder' | 'approver_only' | 'already_claimed' | 'wrong_step';

const leads = (actor: Actor, unitId: number | null) =>
  actor.role !== 'officer' ||
  (unitId !== null && actor.memberships.some((m) => m.unit_id === unitId && m.role === 'approver'));
const memberOf = (actor: Actor, unitId: number | null) =>
  unitId === null || actor.memberships.some((m) => m.unit_id === unitId);

/**
 * Why `actor` may not do `action` on the open step (null: allowed). Reception and the counter's
 * own steps are the counter's: any officer of the office. Processing is its holder's, or the
 * unit's leader's (a supervisor or administrator keeps every power). Only an approver of the
 * unit (or, for a step no unit holds, a supervisor) approves.
 */
export function refusalOf(
  action: HandoverAction,
  actor: Actor,
  step: OpenStepView | null,
): Refusal | null {
  if (!step) return action === 'hand_over' ? null : 'wrong_step';
  const holds = step.holder_account_id === actor.id;
  switch (action) {
    case 'hand_over':
      if (step.kind === 'reception') return null;
      if (step.kind !== 'processing') return 'wrong_step';
      return holds || leads(actor, step.unit_id)
        ? null
        : memberOf(actor, step.unit_id)
          ? 'not_holder'
          : 'not_your_unit';
    case 'claim':
      if (step.kind !== 'processing' && step.kind !== 'approval') return 'wrong_step';
      if (
        step.kind === 'approval'
          ? !leads(actor, step.unit_id) || (actor.role === 'officer' && step.unit_id === null)
          : !memberOf(actor, step.unit_id) && !leads(actor, step.unit_id)
      ) {
        return step.kind === 'approval' ? 'approver_only' : 'not_your_unit';
      }
      return step.holder_account_id !== null ? 'already_claimed' : null;
    case 'return_for_rework':
      if (step.kind === 'result') return null;
      if (step.kind === 'processing')
        return holds || leads(actor, step.unit_id)
          ? null
          : memberOf(actor, step.unit_id)
            ? 'not_holder'
            : 'not_your_unit';
      if (step.kind === 'approval') return leads(actor, step.unit_id) ? null : 'approver_only';
      return 'wrong_step';
    case 'approve':
      if (step.kind !== 'approval') return 'wrong_step';
      return leads(actor, step.unit_id) && (step.unit_id !== null || actor.role !== 'officer')
        ? null
        : 'approver_only';
  }
}

/** The step a handover opens from `from` (hand_over: processing, then approval unless told). */
export function handOverTarget(from: StepKind | null, toStep: string): StepKind | null {
  if (from === null || from === 'reception')
    return toStep === '' || toStep === 'processing' ? 'processing' : null;
  if (from === 'processing')
    return toStep === 'processing'
      ? 'processing'
      : toStep === '' || toStep === 'approval'
        ? 'approval'
        : null;
  return null;
}

/** The step rework goes back to. */
export function reworkTarget(from: StepKind): StepKind | null {
  return from === 'processing'
    ? 'reception'
    : from === 'approval'
      ? 'processing'
      : from === 'result'
        ? 'approval'
        : null;
}
