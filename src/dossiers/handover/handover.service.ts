import { z } from 'zod';
import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import type { DossierRow, StepKind } from '../../db/schema.js';
import { inTransaction } from '../../db/transactions.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import { membersOf, type UnitMember } from '../../units/units.service.js';
import { loose, parseInput } from '../../validation.js';
import {
  recordDossierEvent,
  findDossierById,
  updateDossierAtVersion,
  loadAccessibleDossier,
} from '../record/index.js';
import { handOverTarget, reworkTarget } from './handover-rules.js';
import { ACTIONS, approvesAt, type HandoverAction } from '../actions/index.js';
import { assertAllowed, decide, dutiesFor } from '../policy/index.js';
import { policyFacts } from './policy-facts.service.js';
import {
  closeStep,
  nextPosition,
  openStep,
  openStepOf,
  plannedUnit,
  stepSettingFor,
  type NewStep,
  type StepSetting,
} from './steps.service.js';
import { claimStep, findStepsOf, type StepWithUnit } from './steps.repository.js';

const E = vi.handover.errors;
const m = vi.dossiers.errors;

export const handoverInputSchema = z.object({
  version: loose.text(12),
  to_unit: loose.text(30),
  to_account: loose.text(60),
  to_step: loose.text(20),
  reason: loose.text(1000),
  note: loose.text(1000),
});

type HandoverDeps = Deps<'db' | 'clock' | 'masterData' | 'dossierExtensions'>;

function wrongStep(action: HandoverAction, step: StepWithUnit | null): never {
  const label = vi.dossiers.action[action] ?? action;
  throw new ConflictError(
    step ? E.wrongStep(label, vi.handover.stepKind[step.kind] ?? step.kind) : E.stepNotOpen,
    'wrong_step',
  );
}

interface Target {
  unit: { id: number; name: string } | null;
  holder: { id: number; fullName: string } | null;
}

/** The unit and officer a handover names (id or code; id or username), checked against the office. */
function resolveTarget(
  setting: StepSetting,
  members: UnitMember[],
  kind: StepKind,
  toUnit: string,
  toAccount: string,
  fallbackUnitId: number | null,
): Target {
  let unit = toUnit
    ? setting.units.find((u) => String(u.id) === toUnit || u.code === toUnit.toUpperCase())
    : undefined;
  if (toUnit && !unit) throw new ValidationError({ to_unit: E.unitUnknown });
  if (!unit)
    unit =
      (fallbackUnitId !== null ? setting.units.find((u) => u.id === fallbackUnitId) : undefined) ??
      plannedUnit(setting, kind) ??
      undefined;
  let holder: Target['holder'] = null;
  if (toAccount) {
    const member = members.find(
      (x) =>
        x.unit_id === unit?.id &&
        x.active === 1 &&
        (String(x.account_id) === toAccount || x.username === toAccount.toLowerCase()),
    );
    if (!member || (kind === 'approval' && member.role !== 'approver'))
      throw new ValidationError({ to_account: E.accountNotMember });
    holder = { id: member.account_id, fullName: member.full_name };
  }
  return { unit: unit ? { id: unit.id, name: unit.name } : null, holder };
}

const lastOf = (steps: StepWithUnit[], kind: StepKind) =>
  [...steps].reverse().find((s) => s.kind === kind) ?? null;

/**
 * One handover on a dossier (hand over, claim, send back for rework, approve), in one
 * transaction at the version the user saw: the open step is closed with its outcome and the
 * next one opened with its deadline, and the dossier's timeline records who gave it to whom.
 * Two officers claiming the same dossier: the first wins, the second gets a conflict.
 */
export async function performHandover(
  deps: HandoverDeps,
  account: CurrentAccount,
  ref: string,
  action: HandoverAction,
  raw: unknown,
): Promise<DossierRow> {
  const input = parseInput(handoverInputSchema, raw, ['reason', 'note']);
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1)
    throw new ValidationError({ version: m.versionRequired });
  const dossier = await loadAccessibleDossier(deps, account, ref);
  if (
    !['received', 'processing'].includes(dossier.status) ||
    (action !== 'hand_over' && dossier.status !== 'processing')
  ) {
    throw new ConflictError(
      m.transition(
        vi.dossiers.action[action] ?? action,
        vi.dossiers.status[dossier.status] ?? dossier.status,
      ),
      'invalid_transition',
    );
  }
  if (dossier.version !== version) throw new ConflictError(m.stale, 'stale_version');
  const [steps, setting] = await Promise.all([
    findStepsOf(deps.db, dossier.id),
    stepSettingFor(deps, dossier),
  ]);
  const members = await membersOf(
    deps,
    setting.units.map((u) => u.id),
  );
  const open = openStepOf(steps);
  // The step must be one the action works on; then the policy says whether this account may.
  const spec = ACTIONS[action];
  if (dutiesFor(spec.who, open?.kind ?? null).length === 0) wrongStep(action, open);
  if (action === 'claim' && open?.holder_account_id != null)
    throw new ConflictError(E.alreadyClaimed(open.holder_name ?? ''), 'already_claimed');
  const { onBehalf } = assertAllowed(
    decide(spec.who, await policyFacts(deps, account, dossier, steps), {
      approves: approvesAt(action, open?.kind ?? null),
    }),
  );

  const me = { id: account.id, fullName: account.fullName };
  const now = deps.clock.now();
  let next: NewStep | null = null;
  let reason: 'handed_over' | 'rework' | 'approved' = 'handed_over';
  const fields: Record<string, string> = {};
  if (action === 'hand_over') {
    const kind = handOverTarget(open?.kind ?? null, input.to_step);
    if (!kind) throw new ValidationError({ to_step: E.toStepInvalid });
    const target = resolveTarget(
      setting,
      members,
      kind,
      input.to_unit,
      input.to_account,
      kind === 'approval' ? (open?.unit_id ?? null) : null,
    );
    // A note belongs to the step it was written on (the one closing); only a first step keeps it.
    next = {
      kind,
      ...target,
      givenBy: { id: me.id, name: me.fullName },
      note: open ? '' : input.note,
    };
  } else if (action === 'return_for_rework') {
    if (input.reason.length < 10) fields.reason = E.reasonRequired;
    const kind = reworkTarget(open!.kind);
    const previous = kind ? lastOf(steps, kind) : null;
    if (!kind || (!previous && kind !== 'reception'))
      throw new ConflictError(E.nothingToReturnTo, 'nothing_to_return_to');
    const unit = previous?.unit_id
      ? setting.units.find((u) => u.id === previous.unit_id)
      : undefined;
    const holder = previous?.holder_account_id
      ? { id: previous.holder_account_id, fullName: previous.holder_name ?? '' }
      : null;
    next = {
      kind,
      unit: unit ? { id: unit.id, name: unit.name } : null,
      holder,
      givenBy: { id: me.id, name: me.fullName },
    };
    reason = 'rework';
  } else if (action === 'approve') {
    next = {
      kind: 'result',
      unit: null,
      holder: null,
      givenBy: { id: me.id, name: me.fullName },
    };
    reason = 'approved';
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);

  return inTransaction(deps.db, async (tx) => {
    const to = action === 'hand_over' ? 'processing' : dossier.status;
    const ok = await updateDossierAtVersion(tx, dossier.id, version, {
      status: to,
      updated_at: now.toISOString(),
    });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    if (action === 'claim') {
      if (!(await claimStep(tx, open!.id, me.id, me.fullName, onBehalf)))
        throw new ConflictError(E.alreadyClaimed(''), 'already_claimed');
    } else {
      if (
        open &&
        !(await closeStep(
          tx,
          setting,
          open,
          me,
          reason,
          now,
          reason === 'rework' ? input.reason : input.note,
          onBehalf,
        ))
      )
        throw new ConflictError(m.stale, 'stale_version');
      await openStep(tx, setting, dossier, nextPosition(steps), next!, now);
    }
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: now.toISOString(),
      actor: me,
      action,
      from: dossier.status,
      to,
      note: action === 'return_for_rework' ? input.reason : input.note,
      details: {
        fromStep: open ? { kind: open.kind, unit: open.unit_name, holder: open.holder_name } : null,
        ...(onBehalf ? { onBehalfOfUnit: open?.unit_name ?? null } : {}),
        toStep: next
          ? {
              kind: next.kind,
              unit: next.unit?.name ?? null,
              holder: next.holder?.fullName ?? null,
            }
          : null,
      },
    });
    // What features above the dossiers write with it (the portal's sync row), in this transaction.
    await deps.dossierExtensions.onChange(tx, {
      dossierId: dossier.id,
      at: now.toISOString(),
      actor: me,
      action,
      from: dossier.status,
      to,
    });
    return (await findDossierById(tx, dossier.id))!;
  });
}
