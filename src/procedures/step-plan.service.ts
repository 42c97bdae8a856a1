import type { AppContext } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PlannedStepKind } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { legalMinutes, PLANNED_STEP_KINDS, resolveStepPlan, type StepPlan } from './step-plan.js';
import { vi } from '../locale/vi.js';
import { changeMasterData } from '../master-data.js';
import { hasAnyControlCharacter } from '../validation.js';
import * as repo from './procedures.repository.js';

const E = vi.handover.errors;

/** A procedure's step plan as it applies now: the stored one, or the default shares. */
export async function stepPlanOf(
  ctx: AppContext,
  procedureId: number,
): Promise<StepPlan & { legalMinutes: number }> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  return {
    ...resolveStepPlan(await repo.findStepPlan(ctx.db, procedureId), procedure.processing_days),
    legalMinutes: legalMinutes(procedure.processing_days),
  };
}

/** Reads "2", "2,5" or "2.25" hours as minutes (quarters of an hour); null when it is not one. */
export function hoursToMinutes(text: unknown): number | null {
  if (typeof text !== 'string' || !/^\d{1,4}([.,]\d{1,2})?$/.test(text.trim())) return null;
  const minutes = Number(text.trim().replace(',', '.')) * 60;
  return Number.isInteger(minutes) && minutes % 15 === 0 && minutes <= 2000 * 60 ? minutes : null;
}

/**
 * Saves the hours of each step (`hours_<kind>`) and the unit code of processing and approval
 * (`unit_<kind>`, empty: the office's first unit). The steps together may not exceed the legal
 * time; processing needs some time of its own. Audited; clears the master-data cache.
 */
export async function saveStepPlan(
  ctx: AppContext,
  admin: CurrentAccount,
  procedureId: number,
  raw: Record<string, unknown>,
): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  const fields: Record<string, string> = {};
  const steps: { kind: PlannedStepKind; minutes: number; unit_code: string | null }[] = [];
  for (const kind of PLANNED_STEP_KINDS) {
    const minutes = hoursToMinutes(raw[`hours_${kind}`]);
    if (minutes === null) fields[`hours_${kind}`] = E.planStepInvalid;
    const unitText =
      typeof raw[`unit_${kind}`] === 'string'
        ? (raw[`unit_${kind}`] as string).trim().toUpperCase()
        : '';
    if (unitText && (!/^[0-9A-Z_-]{2,20}$/.test(unitText) || hasAnyControlCharacter(unitText)))
      fields[`unit_${kind}`] = E.unitCodeInvalid;
    steps.push({ kind, minutes: minutes ?? 0, unit_code: unitText || null });
  }
  if (!fields.hours_processing && steps[1]!.minutes < 15)
    fields.hours_processing = E.planProcessingRequired;
  const total = steps.reduce((s, x) => s + x.minutes, 0);
  const legal = legalMinutes(procedure.processing_days);
  const hours = (m: number) => (m / 60).toLocaleString('vi-VN');
  if (Object.keys(fields).length === 0 && total > legal)
    fields.hours_processing = E.planTooLong(hours(total), hours(legal));
  if (Object.keys(fields).length) throw new ValidationError(fields);
  await changeMasterData(ctx, async (tx) => {
    await repo.replaceStepPlan(tx, procedureId, steps, ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'procedure.step_plan_saved',
      subject: procedure.code,
      details: { steps },
    });
  });
}

/** Removes the stored plan: the default shares apply again. */
export async function resetStepPlan(
  ctx: AppContext,
  admin: CurrentAccount,
  procedureId: number,
): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    await repo.replaceStepPlan(tx, procedureId, [], ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'procedure.step_plan_reset',
      subject: procedure.code,
      details: {},
    });
  });
}
