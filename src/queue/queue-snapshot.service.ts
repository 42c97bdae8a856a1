import type { Deps } from '../context.js';
import { percentile } from '../reports/step-tally.js';
import { localDateOf, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { finishedTicketsOfDay, findActiveTicketsOfDay, findLastCalls } from './queue.repository.js';
import {
  callOrder,
  estimatedWaitMinutes,
  placeInOrder,
  secondsBetween,
  type WaitingTicket,
} from './queue-rules.js';
import { openCountersPerGroup, queueSetupOf } from './queue-setup.service.js';

/**
 * What the call display and the phone pages show of an office's queue at one instant: the last
 * calls and, per group, the waiting numbers in call order. No names, no ID numbers: only what the
 * screen in the hall shows. Built once per change and shared by every connected screen.
 */
export interface QueueSnapshot {
  officeId: number;
  at: string;
  calls: { id: number; number: string; counter: string; at: string; recall: boolean }[];
  groups: {
    id: number;
    code: string;
    name: string;
    letter: string;
    /** Waiting tickets in the order they will be called (with what orders them; no personal data). */
    waiting: (WaitingTicket & { number: string; appointment: boolean })[];
    serving: number;
    openCounters: number;
    /** Today's median service time (seconds), null before the first ticket is served. */
    medianServiceSeconds: number | null;
  }[];
}

export async function loadSnapshot(
  ctx: Deps<'clock' | 'db'>,
  officeId: number,
): Promise<QueueSnapshot> {
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const dayStart = startOfLocalDayIso(today);
  const [setup, active, calls, served] = await Promise.all([
    queueSetupOf(ctx, officeId),
    findActiveTicketsOfDay(ctx.db, officeId, today),
    findLastCalls(ctx.db, officeId, dayStart, 8),
    finishedTicketsOfDay(ctx.db, officeId, today),
  ]);
  const open = openCountersPerGroup(setup.groups, setup.counters);
  const waiting: (WaitingTicket & { number: string; appointmentId: number | null })[] = active
    .filter((t) => t.state === 'waiting')
    .map((t) => ({
      id: t.id,
      groupId: t.group_id,
      queuedAt: t.queued_at,
      priority: t.priority,
      slotAt: t.slot_at,
      number: t.number,
      appointmentId: t.appointment_id,
    }));
  const ordered = callOrder(waiting, now);
  return {
    officeId,
    at: now.toISOString(),
    calls: calls.map((c) => ({
      id: c.eventId,
      number: c.number,
      counter: c.counterName ?? '',
      at: c.at,
      recall: c.kind === 'recalled',
    })),
    groups: setup.groups
      .filter((g) => g.active)
      .map((g) => {
        const durations = served
          .filter((s) => s.groupId === g.id)
          .map((s) => secondsBetween(s.servingAt ?? s.calledAt, s.finishedAt))
          .filter((s): s is number => s !== null);
        return {
          id: g.id,
          code: g.code,
          name: g.name,
          letter: g.letter,
          waiting: ordered
            .filter((t) => t.groupId === g.id)
            .map(({ appointmentId, ...t }) => ({ ...t, appointment: appointmentId !== null })),
          serving: active.filter((t) => t.group_id === g.id && t.state !== 'waiting').length,
          openCounters: open.get(g.id) ?? 0,
          medianServiceSeconds: percentile(durations, 0.5),
        };
      }),
  };
}

type SnapshotGroup = QueueSnapshot['groups'][number];
const positions = new WeakMap<
  QueueSnapshot,
  Map<number, { group: SnapshotGroup; index: number }>
>();

/** Each waiting ticket's group and place in a snapshot, indexed once per snapshot. */
function positionsIn(snapshot: QueueSnapshot) {
  let map = positions.get(snapshot);
  if (!map) {
    map = new Map();
    for (const group of snapshot.groups)
      for (let index = 0; index < group.waiting.length; index++)
        map.set(group.waiting[index]!.id, { group, index });
    positions.set(snapshot, map);
  }
  return map;
}

/**
 * Where a waiting ticket stands in a snapshot: people ahead and the estimated wait; null when it
 * is not waiting there. A ticket newer than the snapshot (given whole) is placed among its group's
 * waiting tickets by the call order, so a snapshot a second old still answers a new ticket. Both
 * without walking the queue: the snapshot's tickets are indexed once, a new one found by a
 * binary search (a burst at a kiosk makes queues of thousands in the bench).
 */
export function standingIn(
  snapshot: QueueSnapshot,
  ticket: number | WaitingTicket,
  now = new Date(snapshot.at),
): { ahead: number; waitMinutes: number | null; group: SnapshotGroup } | null {
  const id = typeof ticket === 'number' ? ticket : ticket.id;
  let place = positionsIn(snapshot).get(id);
  if (!place && typeof ticket !== 'number') {
    const group = snapshot.groups.find((g) => g.id === ticket.groupId);
    if (group) place = { group, index: placeInOrder(group.waiting, ticket, now) };
  }
  if (!place) return null;
  const { group, index } = place;
  return {
    ahead: index,
    waitMinutes: estimatedWaitMinutes(index, group.medianServiceSeconds, group.openCounters),
    group,
  };
}

/** What the display's script receives: calls and waiting counts (no ticket ids). */
export function displayPayload(snapshot: QueueSnapshot) {
  return {
    at: snapshot.at,
    calls: snapshot.calls,
    groups: snapshot.groups.map((g) => ({
      code: g.code,
      name: g.name,
      waiting: g.waiting.length,
      next: g.waiting.slice(0, 3).map((t) => t.number),
    })),
  };
}
