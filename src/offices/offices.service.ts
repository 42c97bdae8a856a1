import type { AppContext, Deps } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import type { OfficeRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { changeMasterData } from '../master-data.js';
import { vi } from '../locale/vi.js';
import { parseInput } from '../validation.js';
import { officeSchema } from './offices.forms.js';
import * as repo from './offices.repository.js';
import { paymentSettingsOf } from './office-payment-settings.js';

const L = vi.admin.office;

/** Every office, from the master-data cache (seconds old at most). */
export function allOffices(ctx: AppContext): Promise<OfficeRow[]> {
  return ctx.masterData.offices();
}

export async function officeById(ctx: AppContext, id: number): Promise<OfficeRow | undefined> {
  return (await ctx.masterData.offices()).find((o) => o.id === id);
}

/** Offices as select options, "name (code)". */
export async function officeOptions(ctx: AppContext): Promise<[number, string][]> {
  return (await repo.findAllOffices(ctx.db)).map((o) => [o.id, `${o.name} (${o.code})`]);
}

/** For the administration pages: read from the database, not the cache. */
export const listOfficesFresh = (deps: Deps<'db'>) => repo.findAllOffices(deps.db);
export const officeByIdFresh = (deps: Deps<'db'>, id: number) => repo.findOfficeById(deps.db, id);

async function checkParent(
  ctx: AppContext,
  id: number | null,
  parentId: number | null,
): Promise<void> {
  if (parentId === null) return;
  const all = await repo.findAllOffices(ctx.db);
  if (!all.some((o) => o.id === parentId))
    throw new ValidationError({ parent_id: L.parentMissing });
  // Walk up from the new parent: meeting this office again would make a loop.
  for (let cursor: number | null = parentId, steps = 0; cursor !== null && steps < 1000; steps++) {
    if (cursor === id) throw new ValidationError({ parent_id: L.parentLoop });
    cursor = all.find((o) => o.id === cursor)?.parent_id ?? null;
  }
}

/** Creates (id null) or updates an office; audited; clears the master-data cache. */
export async function saveOffice(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number | null,
  raw: unknown,
): Promise<number> {
  const input = parseInput(officeSchema, raw);
  const existing = await repo.findOfficeByCode(ctx.db, input.code);
  if (existing && existing.id !== id) throw new ValidationError({ code: L.codeTaken });
  if (id !== null && !(await repo.findOfficeById(ctx.db, id))) throw new NotFoundError();
  await checkParent(ctx, id, input.parent_id);
  const S = vi.counter.signer;
  if (!input.deputy_title !== !input.deputy_name)
    throw new ValidationError({
      [input.deputy_title ? 'deputy_name' : 'deputy_title']: S.deputyIncomplete,
    });
  if (input.deputy_title && !input.head_title)
    throw new ValidationError({ head_title: S.headIncomplete });
  const values = {
    code: input.code,
    name: input.name,
    short_name: input.short_name,
    address: input.address,
    phone: input.phone,
    working_hours: input.working_hours,
    place_name: input.place_name,
    supervisor_acts_for_units: input.supervisor_acts_for_units ? 1 : 0,
    head_title: input.head_title.toUpperCase(),
    head_name: input.head_name,
    deputy_title: input.deputy_title.toUpperCase(),
    deputy_name: input.deputy_name,
    queue_priorities: input.queue_priorities,
    queue_near_at: input.queue_near_at,
    sms_gateway_url: input.sms_gateway_url || null,
    zalo_zns_url: input.zalo_zns_url || null,
    // A token left empty keeps the one saved (the form never shows it back).
    ...(input.sms_gateway_token ? { sms_gateway_token: input.sms_gateway_token } : {}),
    ...(input.zalo_zns_token ? { zalo_zns_token: input.zalo_zns_token } : {}),
    ...paymentSettingsOf(input),
    parent_id: input.parent_id,
    valid_from: input.valid_from,
    valid_to: input.valid_to,
  };
  return changeMasterData(ctx, async (tx) => {
    let officeId = id;
    if (officeId === null)
      officeId = await repo.insertOffice(tx, {
        ...values,
        created_at: ctx.clock.now().toISOString(),
      });
    else await repo.updateOffice(tx, officeId, values);
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: id === null ? 'office.created' : 'office.updated',
      subject: input.code,
      details: values,
    });
    return officeId;
  });
}

/** Whether an office has closed (its valid-to date is past). */
export function isClosed(office: Pick<OfficeRow, 'valid_to'>, today: string): boolean {
  return office.valid_to !== null && office.valid_to < today;
}
