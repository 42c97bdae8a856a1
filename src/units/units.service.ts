import { inTransaction } from '../db/transactions.js';
import type { AppContext, Deps } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { listAccounts } from '../accounts/account-admin.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ProcessingUnitRow, UnitRole } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { officeById } from '../offices/offices.service.js';
import { parseInput } from '../validation.js';
import { memberSchema, unitSchema } from './units.forms.js';
import * as repo from './units.repository.js';

export type { UnitMember } from './units.repository.js';
const E = vi.handover.errors;

/**
 * Processing units (đội, tổ) under each office and their members, each with a unit-scoped role:
 * a processor handles dossiers in the unit's queue, an approver (the unit's leader) approves
 * them and sees the unit's late steps. An account's own role (officer, supervisor, admin) is
 * unchanged by membership.
 */
export const unitById = (deps: Deps<'db'>, id: number) => repo.findUnitById(deps.db, id);
export const unitsOfOffices = (deps: Deps<'db'>, officeIds: number[]) =>
  repo.findUnitsOfOffices(deps.db, officeIds);
export const membersOf = (deps: Deps<'db'>, unitIds: number[]) =>
  repo.findMembers(deps.db, unitIds);
export const membershipsOf = (deps: Deps<'db'>, accountId: number) =>
  repo.findMembershipsOf(deps.db, accountId);

/** The active unit `code` of an office (a step plan names units by code). */
export async function unitOfOfficeByCode(
  ctx: AppContext,
  officeId: number,
  code: string,
): Promise<ProcessingUnitRow | undefined> {
  const unit = await repo.findUnitByCode(ctx.db, officeId, code);
  return unit?.active ? unit : undefined;
}

/** Units the account may see (those of its offices), with their members. */
export async function listUnitsFor(ctx: AppContext, account: CurrentAccount) {
  const units = await repo.findUnitsOfOffices(ctx.db, await accessibleOfficeIds(ctx, account));
  const members = await repo.findMembers(
    ctx.db,
    units.map((u) => u.id),
  );
  return units.map((u) => ({ ...u, members: members.filter((m) => m.unit_id === u.id) }));
}

/** Creates (id null) or updates a unit; audited. */
export async function saveUnit(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number | null,
  raw: unknown,
): Promise<number> {
  const input = parseInput(unitSchema, raw);
  if (!(await officeById(ctx, input.office_id)))
    throw new ValidationError({ office_id: E.unitUnknown });
  const existing = id === null ? null : await repo.findUnitById(ctx.db, id);
  if (id !== null && !existing) throw new NotFoundError();
  const clash = await repo.findUnitByCode(ctx.db, input.office_id, input.code);
  if (clash && clash.id !== id) throw new ValidationError({ code: E.unitCodeTaken });
  const nowIso = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (tx) => {
    const values = {
      office_id: input.office_id,
      code: input.code,
      name: input.name,
      active: id === null || input.active ? 1 : 0,
      updated_at: nowIso,
    };
    const unitId = id ?? (await repo.insertUnit(tx, { ...values, created_at: nowIso }));
    if (id !== null) await repo.updateUnit(tx, id, values);
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: id === null ? 'unit.created' : 'unit.updated',
      subject: `${input.code}@${input.office_id}`,
      details: values,
    });
    return unitId;
  });
}

/** Adds an account of the unit's office to the unit, or changes its role there. */
export async function addMember(
  ctx: AppContext,
  admin: CurrentAccount,
  unitId: number,
  raw: unknown,
): Promise<void> {
  const input = parseInput(memberSchema, raw);
  const unit = await repo.findUnitById(ctx.db, unitId);
  if (!unit) throw new NotFoundError();
  const account = (await listAccounts(ctx)).find((a) => a.id === input.account_id);
  if (!account || account.office_id !== unit.office_id)
    throw new ValidationError({ account_id: E.memberAccountInvalid });
  await inTransaction(ctx.db, async (tx) => {
    await repo.upsertMember(tx, {
      unit_id: unitId,
      account_id: input.account_id,
      role: input.role as UnitRole,
      created_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'unit.member_set',
      subject: unit.code,
      details: { unitId, accountId: input.account_id, role: input.role },
    });
  });
}

export async function removeMember(
  ctx: AppContext,
  admin: CurrentAccount,
  unitId: number,
  accountId: number,
): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    if (!(await repo.deleteMember(tx, unitId, accountId))) throw new NotFoundError();
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'unit.member_removed',
      subject: String(unitId),
      details: { unitId, accountId },
    });
  });
}

/** Accounts of an office, as select options for adding a member. */
export async function accountOptionsOf(
  ctx: AppContext,
  officeId: number,
): Promise<[number, string][]> {
  return (await listAccounts(ctx))
    .filter((a) => a.office_id === officeId && a.active)
    .map((a) => [a.id, `${a.full_name} (${a.username})`]);
}
