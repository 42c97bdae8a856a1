import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { CounterRow, ServiceGroupRow, ServiceGroupTable } from '../db/schema-queue.js';

/** All SQL on service groups and counters (the queue's setup). */

type Reader = Db | Tx;

export async function findGroups(
  db: Reader,
  officeId: number,
): Promise<(ServiceGroupRow & { procedureIds: number[] })[]> {
  const groups = await db
    .selectFrom('service_groups')
    .selectAll()
    .where('office_id', '=', officeId)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  if (!groups.length) return [];
  const links = await db
    .selectFrom('service_group_procedures')
    .select(['group_id', 'procedure_id'])
    .where(
      'group_id',
      'in',
      groups.map((g) => g.id),
    )
    .execute();
  return groups.map((g) => ({
    ...g,
    procedureIds: links.filter((l) => l.group_id === g.id).map((l) => l.procedure_id),
  }));
}

export async function insertGroup(tx: Tx, row: Insertable<ServiceGroupTable>): Promise<number> {
  return (
    await tx.insertInto('service_groups').values(row).returning('id').executeTakeFirstOrThrow()
  ).id;
}

export async function updateGroup(
  tx: Tx,
  id: number,
  patch: Updateable<ServiceGroupTable>,
): Promise<void> {
  await tx.updateTable('service_groups').set(patch).where('id', '=', id).execute();
}

export async function setGroupProcedures(
  tx: Tx,
  groupId: number,
  procedureIds: number[],
): Promise<void> {
  await tx.deleteFrom('service_group_procedures').where('group_id', '=', groupId).execute();
  if (procedureIds.length)
    await tx
      .insertInto('service_group_procedures')
      .values(procedureIds.map((procedure_id) => ({ group_id: groupId, procedure_id })))
      .execute();
}

export async function findCounters(
  db: Reader,
  officeId: number,
): Promise<(CounterRow & { groupIds: number[]; accountName: string | null })[]> {
  const counters = await db
    .selectFrom('counters')
    .leftJoin('accounts', 'accounts.id', 'counters.account_id')
    .selectAll('counters')
    .select('accounts.full_name as accountName')
    .where('counters.office_id', '=', officeId)
    .orderBy('counters.number')
    .execute();
  if (!counters.length) return [];
  const links = await db
    .selectFrom('counter_groups')
    .select(['counter_id', 'group_id'])
    .where(
      'counter_id',
      'in',
      counters.map((c) => c.id),
    )
    .execute();
  return counters.map((c) => ({
    ...c,
    groupIds: links.filter((l) => l.counter_id === c.id).map((l) => l.group_id),
  }));
}

export async function findCounterById(db: Reader, id: number): Promise<CounterRow | undefined> {
  return db.selectFrom('counters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCounterOfAccount(
  db: Reader,
  accountId: number,
): Promise<CounterRow | undefined> {
  return db
    .selectFrom('counters')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function insertCounter(
  tx: Tx,
  row: { office_id: number; number: number; name: string; created_at: string },
): Promise<number> {
  return (
    await tx
      .insertInto('counters')
      .values({ ...row, updated_at: row.created_at })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export async function updateCounter(
  tx: Tx,
  id: number,
  patch: { name?: string; active?: number; updated_at: string },
): Promise<void> {
  await tx.updateTable('counters').set(patch).where('id', '=', id).execute();
}

export async function setCounterGroups(
  tx: Tx,
  counterId: number,
  groupIds: number[],
): Promise<void> {
  await tx.deleteFrom('counter_groups').where('counter_id', '=', counterId).execute();
  if (groupIds.length)
    await tx
      .insertInto('counter_groups')
      .values(groupIds.map((group_id) => ({ counter_id: counterId, group_id })))
      .execute();
}

/** Sits the account at the counter (leaving any other); whoever sat there before leaves it. */
export async function seatAccount(
  tx: Tx,
  counterId: number,
  accountId: number | null,
  at: string,
): Promise<void> {
  if (accountId !== null)
    await tx
      .updateTable('counters')
      .set({ account_id: null, signed_in_at: null })
      .where('account_id', '=', accountId)
      .execute();
  await tx
    .updateTable('counters')
    .set({ account_id: accountId, signed_in_at: accountId === null ? null : at })
    .where('id', '=', counterId)
    .execute();
}
