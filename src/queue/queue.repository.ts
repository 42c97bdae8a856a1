import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { QueueEventKind, TicketRow, TicketState, TicketTable } from '../db/schema-queue.js';

/** All SQL on tickets and the queue's event journal (groups and counters: queue-setup.repository.ts). */

type Reader = Db | Tx;

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

/**
 * What the displays' snapshot needs of the tickets waiting, called or being served today: the
 * columns it reads only (every column of a few thousand tickets took four times as long, read
 * every second while a burst lasts).
 */
export function findActiveTicketsOfDay(db: Reader, officeId: number, day: string) {
  return db
    .selectFrom('tickets')
    .select([
      'id',
      'group_id',
      'state',
      'number',
      'priority',
      'slot_at',
      'queued_at',
      'appointment_id',
    ])
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('state', 'in', ['waiting', 'called', 'serving'])
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
