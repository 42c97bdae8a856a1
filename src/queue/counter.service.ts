import { z } from 'zod';
import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { Tx } from '../db/database.js';
import type { TicketRow } from '../db/schema-queue.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { loose, parseInput } from '../validation.js';
import { vi } from '../locale/vi.js';
import { notifyQueueNear, notifySettingsOf } from '../notifications/notifications.service.js';
import {
  findCurrentAtCounter,
  findTicket,
  findTicketsOfDay,
  insertQueueEvent,
  markNearNotified,
  moveTicket,
} from './queue.repository.js';
import { seatAccount } from './queue-setup.repository.js';
import { callOrder, nextFor } from './queue-rules.js';
import {
  counterOfAccount,
  groupsOfCounter,
  officeOfId,
  queueSetupOf,
} from './queue-setup.service.js';

const E = vi.queue.errors;

export type CounterAction = 'call-next' | 'recall' | 'skip' | 'start' | 'finish';
export const COUNTER_ACTIONS: readonly CounterAction[] = [
  'call-next',
  'recall',
  'skip',
  'start',
  'finish',
];

/** The officer sits at a counter (leaving any other), or leaves it. */
export async function seatAtCounter(
  ctx: Deps<'clock' | 'db' | 'queueHub'>,
  account: CurrentAccount,
  counterId: number,
  sit: boolean,
): Promise<void> {
  const counter = await counterOfAccount(ctx, account, counterId);
  if (!sit && counter.account_id !== account.id) return;
  await transactionWithRetry(ctx.db, (tx) =>
    seatAccount(tx, counter.id, sit ? account.id : null, ctx.clock.now().toISOString()),
  );
  ctx.queueHub.poke(counter.office_id);
}

/** What a counter holds now: its row, its groups, the ticket it called or serves, the waiting list of its groups. */
export async function counterConsole(
  ctx: Deps<'clock' | 'db'>,
  account: CurrentAccount,
  counterId: number,
) {
  const counter = await counterOfAccount(ctx, account, counterId);
  const { groups, counters } = await queueSetupOf(ctx, counter.office_id);
  const full = counters.find((c) => c.id === counter.id)!;
  const served = groupsOfCounter(groups, full);
  const today = localDateOf(ctx.clock.now());
  const [current, waiting] = await Promise.all([
    findCurrentAtCounter(ctx.db, counter.id, today),
    findTicketsOfDay(ctx.db, counter.office_id, today, ['waiting']),
  ]);
  // The same tickets, in the same order, that call next would take (active groups only).
  const servedIds = served.map((g) => g.id);
  const ordered = callOrder(
    waiting.filter((t) => servedIds.includes(t.group_id)).map(asWaiting),
    ctx.clock.now(),
  ).map((w) => waiting.find((t) => t.id === w.id)!);
  const now = ctx.clock.now().getTime();
  return {
    counter: full,
    groups,
    served,
    current: current ?? null,
    // Each with the minutes it has waited and its group's name, as the console lists them.
    waiting: ordered.map((t) => ({
      ...t,
      waitedMinutes: Math.max(0, Math.round((now - Date.parse(t.issued_at)) / 60_000)),
      groupName: groups.find((g) => g.id === t.group_id)?.name ?? '',
    })),
    seated: full.account_id === account.id,
  };
}

const asWaiting = (t: TicketRow) => ({
  id: t.id,
  groupId: t.group_id,
  queuedAt: t.queued_at,
  priority: t.priority,
  slotAt: t.slot_at,
});

/**
 * One press of a counter's button. Only the officer seated at the counter may press it. Call next
 * closes the ticket being served and takes the first waiting ticket of the counter's groups in call
 * order with a conditional update: two counters calling at once never take one ticket; the loser
 * takes the next. Telling the citizens whose number is now near goes into the outbox in the same
 * transaction.
 */
export async function pressCounter(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData' | 'queueHub'>,
  account: CurrentAccount,
  counterId: number,
  action: CounterAction,
): Promise<TicketRow | null> {
  const counter = await counterOfAccount(ctx, account, counterId);
  if (counter.account_id !== account.id)
    throw new ForbiddenError(E.notCounterOfficer, 'not_at_counter');
  const { groups, counters } = await queueSetupOf(ctx, counter.office_id);
  const groupIds = groupsOfCounter(
    groups,
    counters.find((c) => c.id === counter.id)!,
  ).map((g) => g.id);
  const office = await officeOfId(ctx, counter.office_id);
  const notify = action === 'call-next' ? await notifySettingsOf(ctx) : null;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = localDateOf(now);
  const event = (
    tx: Tx,
    t: TicketRow,
    kind: 'called' | 'recalled' | 'skipped' | 'serving' | 'finished',
  ) =>
    insertQueueEvent(tx, {
      office_id: counter.office_id,
      ticket_id: t.id,
      counter_id: counter.id,
      kind,
      at,
    });

  const result = await transactionWithRetry(ctx.db, async (tx) => {
    const current = await findCurrentAtCounter(tx, counter.id, today);
    if (action !== 'call-next') {
      if (!current) throw new ConflictError(E.noCurrent, 'no_current_ticket');
      const patch = {
        recall: { last_called_at: at, call_count: current.call_count + 1 },
        skip: { state: 'no_show' as const, finished_at: at },
        start: { state: 'serving' as const, serving_at: current.serving_at ?? at },
        finish: {
          state: 'done' as const,
          finished_at: at,
          serving_at: current.serving_at ?? current.last_called_at,
        },
      }[action];
      // Absent is said of a called citizen who did not come, not of one being served.
      if (action === 'skip' && current.state !== 'called')
        throw new ConflictError(E.skipServing, 'ticket_serving');
      const moved = await moveTicket(
        tx,
        current.id,
        action === 'skip' ? ['called'] : ['called', 'serving'],
        patch,
      );
      if (!moved) throw new ConflictError(E.ticketClosed, 'ticket_moved');
      await event(
        tx,
        moved,
        ({ recall: 'recalled', skip: 'skipped', start: 'serving', finish: 'finished' } as const)[
          action
        ],
      );
      return { ticket: moved, empty: false };
    }
    // Call next: whoever was at the counter is done.
    if (current) {
      const done = await moveTicket(tx, current.id, ['called', 'serving'], {
        state: 'done',
        finished_at: at,
        serving_at: current.serving_at ?? current.last_called_at,
      });
      if (done) await event(tx, done, 'finished');
    }
    let waiting = await findTicketsOfDay(tx, counter.office_id, today, ['waiting']);
    for (let attempt = 0; attempt < 20; attempt++) {
      const next = nextFor(waiting.map(asWaiting), groupIds, now);
      if (!next) return { ticket: null, empty: true };
      const row = waiting.find((t) => t.id === next.id)!;
      const called = await moveTicket(tx, row.id, ['waiting'], {
        state: 'called',
        counter_id: counter.id,
        called_by: account.id,
        called_at: row.called_at ?? at,
        last_called_at: at,
        call_count: row.call_count + 1,
      });
      waiting = waiting.filter((t) => t.id !== row.id);
      if (!called) continue; // another counter took it first
      await event(tx, called, 'called');
      if (notify && office.queue_near_at > 0) {
        const sameGroup = callOrder(
          waiting.filter((t) => t.group_id === called.group_id).map(asWaiting),
          now,
        ).slice(0, office.queue_near_at);
        const toTell = sameGroup
          .map((w, ahead) => ({ t: waiting.find((t) => t.id === w.id)!, ahead }))
          .filter(({ t }) => t.phone && !t.near_notified_at);
        for (const { t, ahead } of toTell) {
          await notifyQueueNear(tx, notify, {
            ticket: { id: t.id, office_id: t.office_id, number: t.number, phone: t.phone! },
            officeName: office.short_name,
            ahead,
            link: `${ctx.config.publicBaseUrl}/xep-hang/${t.access_key}`,
            at: now,
          });
        }
        await markNearNotified(
          tx,
          toTell.map(({ t }) => t.id),
          at,
        );
      }
      return { ticket: called, empty: false };
    }
    return { ticket: null, empty: true };
  });
  ctx.queueHub.poke(counter.office_id);
  if (result.empty) throw new ConflictError(E.noneWaiting, 'queue_empty');
  return result.ticket;
}

export const transferInputSchema = z.object({ service_group: loose.text(20) });

/** A ticket goes to another group's queue, keeping its place in time (its waiting is not lost). */
export async function transferTicket(
  ctx: Deps<'clock' | 'db' | 'queueHub'>,
  account: CurrentAccount,
  ticketId: number,
  raw: unknown,
): Promise<TicketRow> {
  const groupCode = parseInput(transferInputSchema, raw).service_group;
  const ticket = await findTicket(ctx.db, ticketId);
  if (!ticket) throw new NotFoundError(E.ticketNotFound);
  if (ticket.office_id !== account.officeId && account.role !== 'admin')
    throw new ForbiddenError(E.ticketOtherOffice);
  const { groups } = await queueSetupOf(ctx, ticket.office_id);
  const target = groups.find((g) => g.code === groupCode && g.active);
  if (!target) throw new ValidationError({ service_group: E.unknownGroup });
  if (target.id === ticket.group_id) throw new ValidationError({ service_group: E.sameGroup });
  const at = ctx.clock.now().toISOString();
  const moved = await transactionWithRetry(ctx.db, async (tx) => {
    const t = await moveTicket(tx, ticket.id, ['waiting', 'called', 'serving'], {
      state: 'waiting',
      group_id: target.id,
      transferred_from: ticket.group_id,
      counter_id: null,
    });
    if (!t) throw new ConflictError(E.ticketClosed, 'ticket_closed');
    await insertQueueEvent(tx, {
      office_id: t.office_id,
      ticket_id: t.id,
      counter_id: ticket.counter_id,
      kind: 'transferred',
      at,
    });
    return t;
  });
  ctx.queueHub.poke(moved.office_id);
  return moved;
}
