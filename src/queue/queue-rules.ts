import type { WorkingHours } from '../calendar/working-hours.js';
import { PRIORITY_REASONS, type PriorityReason } from '../offices/office-settings.js';

export { PRIORITY_REASONS, type PriorityReason };

/**
 * The queue's rules that need no I/O (docs/ARCHITECTURE.md "Queue"): ticket numbers, the order
 * numbers are called in, positions, the estimated wait, appointment slots. Pure: the instant is
 * given.
 */

/** `C` and 12 → `C012`; past 999 the number simply grows (`C1000`). */
export function formatTicketNumber(letter: string, seq: number): string {
  return `${letter}${String(seq).padStart(3, '0')}`;
}

/** The office's rule text (`elderly,disabled`) as the reasons it allows; unknown words are dropped. */
export function allowedPriorities(rule: string): PriorityReason[] {
  const words = new Set(rule.split(',').map((w) => w.trim()));
  return PRIORITY_REASONS.filter((r) => words.has(r));
}

export interface WaitingTicket {
  id: number;
  groupId: number;
  /** ISO instant the ticket joined the queue (kept through a transfer: waiting is not lost). */
  queuedAt: string;
  priority: string;
  /** ISO instant of the booked slot's start; null for a walk-in. */
  slotAt: string | null;
}

/** 0: an appointment whose slot has begun; 1: a priority ticket; 2: everyone else. */
function rankOf(t: WaitingTicket, nowIso: string): number {
  if (t.slotAt && t.slotAt <= nowIso) return 0;
  return t.priority ? 1 : 2;
}

/**
 * The order a counter calls waiting tickets in: appointments whose slot has begun (by slot, then
 * arrival), then priority tickets, then the rest, each by the time they joined the queue. An
 * appointment that arrives before its slot waits like a walk-in until the slot begins.
 */
export function callOrder<T extends WaitingTicket>(waiting: readonly T[], now: Date): T[] {
  const nowIso = now.toISOString();
  // Each ticket's rank once, not once per comparison (a long queue is sorted every second).
  return waiting
    .map((ticket) => ({ ticket, rank: rankOf(ticket, nowIso) }))
    .sort((a, b) => compareRanked(a.ticket, a.rank, b.ticket, b.rank))
    .map((r) => r.ticket);
}

function compareRanked(a: WaitingTicket, ra: number, b: WaitingTicket, rb: number): number {
  if (ra !== rb) return ra - rb;
  if (ra === 0 && a.slotAt !== b.slotAt) return a.slotAt! < b.slotAt! ? -1 : 1;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? -1 : 1;
  return a.id - b.id;
}

/**
 * Where `ticket` (not among them) would stand in `ordered`, a list already in call order: a binary
 * search, for a kiosk's new ticket in a long queue. Exact while the order of `ordered` holds at
 * `now` (a slot that began since it was sorted may put the answer a place off).
 */
export function placeInOrder(
  ordered: readonly WaitingTicket[],
  ticket: WaitingTicket,
  now: Date,
): number {
  const nowIso = now.toISOString();
  const rank = rankOf(ticket, nowIso);
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const other = ordered[mid]!;
    if (compareRanked(other, rankOf(other, nowIso), ticket, rank) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The next ticket for a counter serving `groupIds`, or null. */
export function nextFor<T extends WaitingTicket>(
  waiting: readonly T[],
  groupIds: readonly number[],
  now: Date,
): T | null {
  return (
    callOrder(
      waiting.filter((t) => groupIds.includes(t.groupId)),
      now,
    )[0] ?? null
  );
}

/** How many tickets of its group are called before this one (0: it is next). Null when it is not waiting. */
export function peopleAhead(
  waiting: readonly WaitingTicket[],
  ticketId: number,
  now: Date,
): number | null {
  const ticket = waiting.find((t) => t.id === ticketId);
  if (!ticket) return null;
  const index = callOrder(
    waiting.filter((t) => t.groupId === ticket.groupId),
    now,
  ).findIndex((t) => t.id === ticketId);
  return index;
}

/**
 * Minutes until a ticket with `ahead` people before it is called: each counter open for the group
 * serves one at a time, taking today's median service time (or `fallbackMinutes` before any
 * ticket was served). Rounded up to whole minutes; null when no counter serves the group.
 */
export function estimatedWaitMinutes(
  ahead: number,
  medianServiceSeconds: number | null,
  openCounters: number,
  fallbackMinutes = 10,
): number | null {
  if (openCounters <= 0) return null;
  const perTicket =
    medianServiceSeconds !== null && medianServiceSeconds > 0
      ? medianServiceSeconds / 60
      : fallbackMinutes;
  return Math.ceil(((ahead + 1) * perTicket) / openCounters);
}

/** The slot starts of a working day (`08:00`, `08:30`, …): whole slots inside each working period. */
export function slotStarts(hours: WorkingHours, slotMinutes: number): string[] {
  if (slotMinutes <= 0) return [];
  const starts: string[] = [];
  for (const period of hours) {
    for (let m = period.start; m + slotMinutes <= period.end; m += slotMinutes) {
      starts.push(
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
      );
    }
  }
  return starts;
}

/** A booking code a citizen can read out: 8 letters and digits without look-alikes (no 0/O, 1/I). */
export const BOOKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function bookingCodeFrom(bytes: Uint8Array): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += BOOKING_ALPHABET[bytes[i]! % BOOKING_ALPHABET.length];
  return `DL-${code}`;
}

/** The seconds between two ISO instants (null when either is missing). */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** A ticket whose turn is still to come or under way today (its phone page keeps a live stream). */
export function isLive(ticket: { state: string; day: string }, today: string): boolean {
  return (
    ticket.day === today &&
    (ticket.state === 'waiting' || ticket.state === 'called' || ticket.state === 'serving')
  );
}

/**
 * A booking code however it is typed (`dl-7kq3 mz2p`, `7KQ3MZ2P`) as stored (`DL-7KQ3MZ2P`);
 * null when it cannot be one.
 */
export function normalizeBookingCode(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  const m = /^(?:DL)?([A-HJ-NP-Z2-9]{8})$/.exec(compact);
  return m ? `DL-${m[1]}` : null;
}

/** How long before the office's first working period the kiosk already hands out numbers. */
export const KIOSK_EARLY_MINUTES = 60;

/**
 * Whether the hall hands out numbers at a local time (`HH:MM`) of a day: a working day of the
 * calendar, from an hour before the first working period to the end of the last one.
 */
export function hallOpenAt(hours: WorkingHours, workingDay: boolean, localTime: string): boolean {
  if (!workingDay || hours.length === 0) return false;
  const [h, m] = localTime.split(':').map(Number);
  const minute = h! * 60 + m!;
  return minute >= hours[0]!.start - KIOSK_EARLY_MINUTES && minute < hours[hours.length - 1]!.end;
}
