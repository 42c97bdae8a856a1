import type { Db } from '../db/database.js';

/**
 * The reads behind the scraped gauges (docs/OPERATIONS.md). Reads only, of tables other features
 * own (notifications, tickets), each through an index of its owner: the outbox's due index
 * (state, next_attempt_at) and the queue's (office_id, day, state).
 */

/** Due messages not yet sent, per channel, with the due time of the oldest. */
export async function outboxBacklog(db: Db, nowIso: string) {
  const rows = await db
    .selectFrom('notifications')
    .select((eb) => [
      'channel',
      eb.fn.countAll<number>().as('depth'),
      eb.fn.min('next_attempt_at').as('oldestDueAt'),
    ])
    .where('state', 'in', ['queued', 'failed_temporary', 'sending'])
    .where('next_attempt_at', '<=', nowIso)
    .groupBy('channel')
    .execute();
  return rows.map((r) => ({
    channel: r.channel,
    depth: Number(r.depth),
    oldestDueAt: r.oldestDueAt ?? null,
  }));
}

/** Tickets of local day `day` still waiting, per office (only offices with some). */
export async function waitingTicketsPerOffice(db: Db, officeIds: number[], day: string) {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('tickets')
    .select((eb) => ['office_id', eb.fn.countAll<number>().as('waiting')])
    .where('office_id', 'in', officeIds)
    .where('day', '=', day)
    .where('state', '=', 'waiting')
    .groupBy('office_id')
    .execute();
  return rows.map((r) => ({ officeId: r.office_id, waiting: Number(r.waiting) }));
}
