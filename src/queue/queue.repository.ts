import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type {
  CounterRow,
  QueueEventKind,
  ServiceGroupRow,
  ServiceGroupTable,
  TicketRow,
  TicketState,
  TicketTable,
} from '../db/schema-queue.js';

/** All SQL on service groups, counters, tickets and the queue's event journal. */

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

/** The next number of a group's day: one row per group and day, incremented in the caller's transaction. */
export async function allocateTicketSeq(tx: Tx, groupId: number, day: string): Promise<number> {
  const row = await tx
    .insertInto('ticket_sequences')
    .values({ group_id: groupId, day, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['group_id', 'day'])
        .doUpdateSet({ last_number: sql<number>`ticket_sequences.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertTicket(tx: Tx, row: Insertable<TicketTable>): Promise<TicketRow> {
  return tx.insertInto('tickets').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTicket(db: Reader, id: number): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTicketByKey(db: Reader, key: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('access_key', '=', key).executeTakeFirst();
}

/** The tickets of an office's day in the given states (the waiting list is at most a few hundred). */
export async function findTicketsOfDay(
  db: Reader,
  officeId: number,
  day: string,
  states: TicketState[],
): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('state', 'in', states)
    .orderBy('id')
    .execute();
}

/** The ticket a counter has called or is serving. */
export async function findCurrentAtCounter(
  db: Reader,
  counterId: number,
  day: string,
): Promise<TicketRow | undefined> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('counter_id', '=', counterId)
    .where('day', '=', day)
    .where('state', 'in', ['called', 'serving'])
    .orderBy('last_called_at', 'desc')
    .executeTakeFirst();
}

/** Changes a ticket only if it is still in one of `from`: two counters cannot take one ticket. */
export async function moveTicket(
  tx: Tx,
  id: number,
  from: TicketState[],
  patch: Updateable<TicketTable>,
): Promise<TicketRow | undefined> {
  return tx
    .updateTable('tickets')
    .set(patch)
    .where('id', '=', id)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export async function markNearNotified(tx: Tx, ids: number[], at: string): Promise<void> {
  if (ids.length)
    await tx
      .updateTable('tickets')
      .set({ near_notified_at: at })
      .where('id', 'in', ids)
      .where('near_notified_at', 'is', null)
      .execute();
}

export async function insertQueueEvent(
  tx: Tx,
  row: {
    office_id: number;
    ticket_id: number;
    counter_id: number | null;
    kind: QueueEventKind;
    at: string;
  },
): Promise<void> {
  await tx.insertInto('queue_events').values(row).execute();
}

export async function lastQueueEventId(db: Reader): Promise<number> {
  const row = await db
    .selectFrom('queue_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The offices with events after `afterId`, and the newest id seen. */
export async function officesChangedAfter(
  db: Reader,
  afterId: number,
): Promise<{ officeIds: number[]; lastId: number }> {
  const rows = await db
    .selectFrom('queue_events')
    .select(['office_id', (eb) => eb.fn.max('id').as('last')])
    .where('id', '>', afterId)
    .groupBy('office_id')
    .execute();
  return {
    officeIds: rows.map((r) => r.office_id),
    lastId: rows.reduce((m, r) => Math.max(m, Number(r.last)), afterId),
  };
}

export interface CallRow {
  eventId: number;
  kind: QueueEventKind;
  at: string;
  number: string;
  groupId: number;
  counterNumber: number | null;
  counterName: string | null;
}

/** The latest calls and recalls of an office's day, newest first. */
export async function findLastCalls(
  db: Reader,
  officeId: number,
  sinceIso: string,
  limit: number,
): Promise<CallRow[]> {
  return db
    .selectFrom('queue_events')
    .innerJoin('tickets', 'tickets.id', 'queue_events.ticket_id')
    .leftJoin('counters', 'counters.id', 'queue_events.counter_id')
    .select([
      'queue_events.id as eventId',
      'queue_events.kind',
      'queue_events.at',
      'tickets.number',
      'tickets.group_id as groupId',
      'counters.number as counterNumber',
      'counters.name as counterName',
    ])
    .where('queue_events.office_id', '=', officeId)
    .where('queue_events.kind', 'in', ['called', 'recalled'])
    .where('queue_events.at', '>=', sinceIso)
    .orderBy('queue_events.id', 'desc')
    .limit(limit)
    .execute();
}

/** The service times of an office's tickets finished on a local day: the wait estimate's input (the day's index answers it). */
export async function finishedTicketsOfDay(
  db: Reader,
  officeId: number,
  day: string,
): Promise<
  { groupId: number; servingAt: string | null; calledAt: string | null; finishedAt: string }[]
> {
  const rows = await db
    .selectFrom('tickets')
    .select([
      'group_id as groupId',
      'serving_at as servingAt',
      'last_called_at as calledAt',
      'finished_at as finishedAt',
    ])
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('state', '=', 'done')
    .execute();
  return rows.map((r) => ({ ...r, finishedAt: r.finishedAt! }));
}

/** Every ticket of the offices issued on the local days from..to, for the queue report. */
export async function findTicketsForReport(
  db: Reader,
  officeIds: number[],
  fromDay: string,
  toDay: string,
) {
  if (!officeIds.length) return [];
  return db
    .selectFrom('tickets')
    .innerJoin('service_groups', 'service_groups.id', 'tickets.group_id')
    .leftJoin('counters', 'counters.id', 'tickets.counter_id')
    .select([
      'tickets.id',
      'tickets.state',
      'tickets.issued_at',
      'tickets.called_at',
      'tickets.serving_at',
      'tickets.last_called_at',
      'tickets.finished_at',
      'tickets.appointment_id',
      'tickets.priority',
      'service_groups.code as groupCode',
      'service_groups.name as groupName',
      'counters.name as counterName',
    ])
    .where('tickets.office_id', 'in', officeIds)
    .where('tickets.day', '>=', fromDay)
    .where('tickets.day', '<=', toDay)
    .orderBy('tickets.id')
    .execute();
}

/** The ticket a dossier was received from, with its group and counter. */
export async function findTicketOfDossier(db: Reader, ticketId: number) {
  return db
    .selectFrom('tickets')
    .innerJoin('service_groups', 'service_groups.id', 'tickets.group_id')
    .leftJoin('counters', 'counters.id', 'tickets.counter_id')
    .selectAll('tickets')
    .select([
      'service_groups.code as groupCode',
      'service_groups.name as groupName',
      'counters.name as counterName',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}

/** The pickup tickets that named a dossier. */
export async function findReturnTicketsOfDossier(
  db: Reader,
  dossierId: number,
): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}
