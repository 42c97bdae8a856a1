import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { OfficeRow } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { findCounterById, findCounters, findGroups } from './queue-setup.repository.js';

const E = vi.queue.errors;

export type ServiceGroup = Awaited<ReturnType<typeof findGroups>>[number];
export type Counter = Awaited<ReturnType<typeof findCounters>>[number];

/** An office open today, by its code (the kiosk's and the display's address). */
export async function openOfficeByCode(
  ctx: Deps<'clock' | 'masterData'>,
  code: string,
): Promise<OfficeRow> {
  const today = localDateOf(ctx.clock.now());
  const office = (await ctx.masterData.offices()).find((o) => o.code === code);
  if (!office || (office.valid_to && office.valid_to < today))
    throw new NotFoundError(E.unknownOffice);
  return office;
}

export async function officeOfId(ctx: Deps<'masterData'>, id: number): Promise<OfficeRow> {
  const office = (await ctx.masterData.offices()).find((o) => o.id === id);
  if (!office) throw new NotFoundError(E.unknownOffice);
  return office;
}

const GROUPS_REUSE_MS = 1_000;
// Keyed by the database handle: one cache per installation (a test's context has its own).
const reusedGroups = new WeakMap<
  object,
  Map<number, { until: number; value: Promise<ServiceGroup[]> }>
>();

/**
 * The office's service groups for issuing a ticket, reused for a second: a kiosk's burst read
 * them (two statements) for every ticket. A change made here forgets them at once
 * (`forgetGroups`); one made by another process shows within the second.
 */
export function groupsForTickets(ctx: Deps<'db'>, officeId: number): Promise<ServiceGroup[]> {
  let offices = reusedGroups.get(ctx.db);
  if (!offices) reusedGroups.set(ctx.db, (offices = new Map()));
  const now = Date.now();
  const reused = offices.get(officeId);
  if (reused && reused.until > now) return reused.value;
  if (offices.size > 1000) offices.clear();
  const value = findGroups(ctx.db, officeId);
  value.catch(() => offices.delete(officeId));
  offices.set(officeId, { until: now + GROUPS_REUSE_MS, value });
  return value;
}

export function forgetGroups(ctx: Deps<'db'>, officeId: number): void {
  reusedGroups.get(ctx.db)?.delete(officeId);
}

/** The office's service groups (with their procedures) and counters (with their groups and who sits there). */
export async function queueSetupOf(
  ctx: Deps<'db'>,
  officeId: number,
): Promise<{ groups: ServiceGroup[]; counters: Counter[] }> {
  const [groups, counters] = await Promise.all([
    findGroups(ctx.db, officeId),
    findCounters(ctx.db, officeId),
  ]);
  return { groups, counters };
}

/** A counter of the account's office (a supervisor or administrator may open any counter they can see). */
export async function counterOfAccount(
  ctx: Deps<'db'>,
  account: CurrentAccount,
  counterId: number,
) {
  const counter = await findCounterById(ctx.db, counterId);
  if (!counter) throw new NotFoundError(E.unknownCounter);
  if (counter.office_id !== account.officeId && account.role !== 'admin')
    throw new ForbiddenError();
  return counter;
}

/** Groups a counter serves that are in use. */
export function groupsOfCounter(
  groups: ServiceGroup[],
  counter: { groupIds: number[] },
): ServiceGroup[] {
  return groups.filter((g) => g.active && counter.groupIds.includes(g.id));
}

/** How many counters serving each group have an officer seated: the wait estimate's divisor. */
export function openCountersPerGroup(
  groups: ServiceGroup[],
  counters: Counter[],
): Map<number, number> {
  return new Map(
    groups.map((g) => [
      g.id,
      counters.filter((c) => c.active && c.account_id !== null && c.groupIds.includes(g.id)).length,
    ]),
  );
}
