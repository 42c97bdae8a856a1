import type { Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { actorOf } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { UniqueViolationError } from '../db/errors.js';
import { transactionWithRetry } from '../db/transactions.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { activeProcedures } from '../procedures/procedures.service.js';
import { field, parseInput } from '../validation.js';
import {
  insertCounter,
  insertGroup,
  setCounterGroups,
  setGroupProcedures,
  updateCounter,
  updateGroup,
} from './queue-setup.repository.js';
import { forgetGroups, officeOfId, queueSetupOf } from './queue-setup.service.js';

const E = vi.queue.errors;
const idList = z
  .preprocess(
    (v) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []),
    z.array(z.string().regex(/^\d{1,9}$/, vi.errors.invalidValue)).max(500),
  )
  .transform((l) => [...new Set(l.map(Number))]);

const groupSchema = z.object({
  id: field.optionalInt(1, 1e9, vi.errors.invalidValue),
  office_id: field.int(1, 1e9, E.unknownOffice),
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z.string({ message: E.badCode }).regex(/^[A-Z0-9_]{2,20}$/, E.badCode),
  ),
  letter: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z.string({ message: E.badLetter }).regex(/^[A-Z]$/, E.badLetter),
  ),
  name: field.text(2, 100, E.badName),
  kind: z.enum(['intake', 'result'], { message: vi.errors.invalidValue }),
  slot_minutes: field.int(5, 240, E.badSlotSetting),
  slot_capacity: field.int(0, 100, E.badSlotSetting),
  sort_order: z.preprocess(
    (v) => (v === '' || v === undefined ? 0 : v),
    field.int(0, 999, vi.errors.invalidValue),
  ),
  active: field.checkbox,
  procedures: idList,
});

const counterSchema = z.object({
  id: field.optionalInt(1, 1e9, vi.errors.invalidValue),
  office_id: field.int(1, 1e9, E.unknownOffice),
  number: field.int(1, 99, E.badNumber),
  name: field.text(2, 60, E.badName),
  active: field.checkbox,
  groups: idList,
});

/** The administrator's page: one office's groups (with procedures) and counters (with groups). */
export async function queueAdminView(ctx: Deps<'db' | 'masterData'>, req: Request) {
  const offices = (await ctx.masterData.offices()).filter((o) => !o.valid_to);
  const wanted =
    typeof req.query.office === 'string' && /^\d{1,9}$/.test(req.query.office)
      ? Number(req.query.office)
      : typeof req.body?.office_id === 'string'
        ? Number(req.body.office_id)
        : req.account!.officeId;
  const office = offices.find((o) => o.id === wanted) ?? offices[0]!;
  const [{ groups, counters }, procedures] = await Promise.all([
    queueSetupOf(ctx, office.id),
    activeProcedures(ctx),
  ]);
  return { offices, office, groups, counters, procedures };
}

/** Creates or updates a service group and the procedures it takes; audited. */
export async function saveGroup(
  ctx: Deps<'clock' | 'db' | 'masterData'>,
  admin: CurrentAccount,
  raw: unknown,
): Promise<number> {
  const input = parseInput(groupSchema, raw);
  const office = await officeOfId(ctx, input.office_id);
  const { groups } = await queueSetupOf(ctx, office.id);
  if (input.id !== null && !groups.some((g) => g.id === input.id)) throw new NotFoundError();
  if (groups.some((g) => g.id !== input.id && (g.code === input.code || g.letter === input.letter)))
    throw new ValidationError({ code: E.duplicateCode });
  const known = new Set((await activeProcedures(ctx)).map((p) => p.id));
  if (input.procedures.some((id) => !known.has(id)))
    throw new ValidationError({ procedures: vi.errors.invalidValue });
  const now = ctx.clock.now().toISOString();
  const values = {
    code: input.code,
    letter: input.letter,
    name: input.name,
    kind: input.kind,
    slot_minutes: input.slot_minutes,
    slot_capacity: input.slot_capacity,
    sort_order: input.sort_order,
    active: input.active ? 1 : 0,
    updated_at: now,
  };
  try {
    await transactionWithRetry(ctx.db, async (tx) => {
      const id =
        input.id ?? (await insertGroup(tx, { ...values, office_id: office.id, created_at: now }));
      if (input.id !== null) await updateGroup(tx, id, values);
      await setGroupProcedures(tx, id, input.procedures);
      await recordAudit(tx, {
        at: ctx.clock.now(),
        actor: actorOf(admin),
        action: input.id === null ? 'queue.group_created' : 'queue.group_updated',
        subject: `${office.code}/${input.code}`,
        details: { ...values, procedures: input.procedures },
      });
    });
  } catch (err) {
    if (err instanceof UniqueViolationError) throw new ValidationError({ code: E.duplicateCode });
    throw err;
  } finally {
    forgetGroups(ctx, office.id);
  }
  return office.id;
}

/** Creates or updates a counter and the groups it serves; audited. */
export async function saveCounter(
  ctx: Deps<'clock' | 'db' | 'masterData' | 'queueHub'>,
  admin: CurrentAccount,
  raw: unknown,
): Promise<number> {
  const input = parseInput(counterSchema, raw);
  const office = await officeOfId(ctx, input.office_id);
  const { groups, counters } = await queueSetupOf(ctx, office.id);
  if (input.id !== null && !counters.some((c) => c.id === input.id)) throw new NotFoundError();
  if (counters.some((c) => c.id !== input.id && c.number === input.number))
    throw new ValidationError({ number: E.duplicateNumber });
  if (input.groups.some((id) => !groups.some((g) => g.id === id)))
    throw new ValidationError({ groups: E.unknownGroup });
  const now = ctx.clock.now().toISOString();
  try {
    await transactionWithRetry(ctx.db, async (tx) => {
      const id =
        input.id ??
        (await insertCounter(tx, {
          office_id: office.id,
          number: input.number,
          name: input.name,
          created_at: now,
        }));
      await updateCounter(tx, id, {
        name: input.name,
        active: input.active ? 1 : 0,
        updated_at: now,
      });
      await setCounterGroups(tx, id, input.groups);
      await recordAudit(tx, {
        at: ctx.clock.now(),
        actor: actorOf(admin),
        action: input.id === null ? 'queue.counter_created' : 'queue.counter_updated',
        subject: `${office.code}/${input.number}`,
        details: { name: input.name, groups: input.groups },
      });
    });
  } catch (err) {
    if (err instanceof UniqueViolationError)
      throw new ValidationError({ number: E.duplicateNumber });
    throw err;
  }
  ctx.queueHub.poke(office.id);
  return office.id;
}
