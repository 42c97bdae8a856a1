import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../context.js';
import type { Tx } from '../db/database.js';
import type { OfficeRow } from '../db/schema.js';
import type { TicketRow } from '../db/schema-queue.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { localDateOf, localTimeOf } from '../lib/vietnam-time.js';
import { workingHoursOf } from '../calendar/working-hours.js';
import { vi } from '../locale/vi.js';
import { loose, parseInput } from '../validation.js';
import { normalizeMobile } from '../lib/phone.js';
import { dossierForPickup, type IntakeTickets } from '../dossiers/index.js';
import { findAppointment } from './booking.repository.js';
import {
  allocateTicketSeq,
  findTicket,
  findTicketByKey,
  insertQueueEvent,
  insertTicket,
  moveTicket,
} from './queue.repository.js';
import { findGroups } from './queue-setup.repository.js';
import {
  allowedPriorities,
  formatTicketNumber,
  hallOpenAt,
  secondsBetween,
  type WaitingTicket,
} from './queue-rules.js';
import {
  groupsForTickets,
  openOfficeByCode,
  queueSetupOf,
  type ServiceGroup,
} from './queue-setup.service.js';
import { standingIn, type QueueSnapshot } from './queue-snapshot.service.js';

const E = vi.queue.errors;

export const ticketInputSchema = z.object({
  office: loose.text(40),
  service_group: loose.text(20),
  priority: loose.text(20),
  phone: loose.text(20),
  dossier_code: loose.text(40),
});

/** A ticket as the call order sees it. */
const asWaiting = (ticket: TicketRow): WaitingTicket => ({
  id: ticket.id,
  groupId: ticket.group_id,
  queuedAt: ticket.queued_at,
  priority: ticket.priority,
  slotAt: ticket.slot_at,
});

/** A ticket as the kiosk, the phone page and the API show it (no personal data). */
export async function presentTicket(
  ctx: Deps<'clock' | 'config' | 'queueHub'>,
  ticket: TicketRow,
  group: Pick<ServiceGroup, 'code' | 'name'> & { kind?: string },
) {
  const standing =
    ticket.state === 'waiting'
      ? standingIn(
          await ctx.queueHub.snapshot(ticket.office_id),
          asWaiting(ticket),
          ctx.clock.now(),
        )
      : null;
  return {
    id: ticket.id,
    number: ticket.number,
    service_group: { code: group.code, name: group.name },
    state: ticket.state,
    priority: ticket.priority || null,
    appointment: ticket.appointment_id !== null,
    issued_at: ticket.issued_at,
    called_at: ticket.called_at,
    serving_at: ticket.serving_at,
    finished_at: ticket.finished_at,
    people_ahead: standing?.ahead ?? null,
    estimated_wait_minutes: standing?.waitMinutes ?? null,
    waited_seconds: secondsBetween(
      ticket.issued_at,
      ticket.called_at ?? (ticket.state === 'waiting' ? ctx.clock.now().toISOString() : null),
    ),
    follow_url: `${ctx.config.publicBaseUrl}/xep-hang/${ticket.access_key}`,
  };
}
export type PresentedTicket = Awaited<ReturnType<typeof presentTicket>>;

function newAccessKey(): string {
  return randomBytes(18).toString('base64url');
}

/** A ticket and its 'issued' event, in the caller's transaction (kiosk, API, check-in). */
export async function writeTicket(
  tx: Tx,
  office: OfficeRow,
  group: ServiceGroup,
  now: Date,
  fields: {
    priority?: string;
    phone?: string | null;
    dossierId?: number | null;
    appointmentId?: number | null;
    slotAt?: string | null;
  },
): Promise<TicketRow> {
  const day = localDateOf(now);
  const seq = await allocateTicketSeq(tx, group.id, day);
  const at = now.toISOString();
  const ticket = await insertTicket(tx, {
    office_id: office.id,
    group_id: group.id,
    day,
    seq,
    number: formatTicketNumber(group.letter, seq),
    priority: fields.priority ?? '',
    appointment_id: fields.appointmentId ?? null,
    slot_at: fields.slotAt ?? null,
    access_key: newAccessKey(),
    phone: fields.phone ?? null,
    dossier_id: fields.dossierId ?? null,
    state: 'waiting',
    issued_at: at,
    queued_at: at,
  });
  await insertQueueEvent(tx, {
    office_id: office.id,
    ticket_id: ticket.id,
    counter_id: null,
    kind: 'issued',
    at,
  });
  return ticket;
}

/**
 * A number for a service, from a kiosk, a counter or the API: the group's sequence of the day
 * and the ticket in one transaction, so two kiosks (or two servers) never hand out one number
 * twice or skip one. `officeId`, when given, is the only office the caller may issue for.
 */
/** The office's hall at this moment: closed outside its working days and hours (item 7). */
export async function hallOpenNow(
  ctx: Deps<'clock' | 'masterData'>,
  office: OfficeRow,
): Promise<boolean> {
  const now = ctx.clock.now();
  const calendar = await ctx.masterData.calendar();
  return hallOpenAt(
    workingHoursOf(office),
    calendar.isWorkingDay(localDateOf(now)),
    localTimeOf(now),
  );
}

export async function issueTicket(
  ctx: Deps<'clock' | 'db' | 'groupCommit' | 'masterData' | 'queueHub'>,
  raw: unknown,
  allowedOfficeId: number | null,
): Promise<{ ticket: TicketRow; group: ServiceGroup; office: OfficeRow }> {
  const input = parseInput(ticketInputSchema, raw);
  const office = await openOfficeByCode(ctx, input.office);
  if (allowedOfficeId !== null && office.id !== allowedOfficeId)
    throw new ValidationError({ office: E.ticketOtherOffice });
  if (!(await hallOpenNow(ctx, office))) throw new ConflictError(E.hallClosed, 'office_closed');
  const group = (await groupsForTickets(ctx, office.id)).find(
    (g) => g.code === input.service_group,
  );
  const fields: Record<string, string> = {};
  if (!group) fields.service_group = E.unknownGroup;
  else if (!group.active) fields.service_group = E.groupClosed;
  if (
    input.priority &&
    !(allowedPriorities(office.queue_priorities) as string[]).includes(input.priority)
  )
    fields.priority = E.badPriority;
  const phone = input.phone ? normalizeMobile(input.phone) : null;
  if (input.phone && !phone) fields.phone = E.badPhone;
  let dossierId: number | null = null;
  if (group?.kind === 'result' && input.dossier_code) {
    const dossier = await dossierForPickup(ctx, office.id, input.dossier_code.trim());
    if (!dossier) fields.dossier_code = E.pickupNotFound;
    else if (!dossier.ready) fields.dossier_code = E.pickupNotReady;
    else dossierId = dossier.id;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const now = ctx.clock.now();
  // Through group commit, as intake: tickets of many kiosks at once share one COMMIT on SQLite.
  const ticket = await ctx.groupCommit.run((tx) =>
    writeTicket(tx, office, group!, now, { priority: input.priority, phone, dossierId }),
  );
  ctx.queueHub.poke(office.id, false);
  return { ticket, group: group!, office };
}

export async function ticketByKey(ctx: Deps<'db'>, key: string) {
  const ticket = /^[\w-]{10,40}$/.test(key) ? await findTicketByKey(ctx.db, key) : undefined;
  if (!ticket) throw new NotFoundError(E.ticketNotFound);
  const group = (await findGroups(ctx.db, ticket.office_id)).find((g) => g.id === ticket.group_id)!;
  return { ticket, group };
}

/**
 * What the phone page shows of a ticket: waiting (people ahead, estimate), called (to which
 * counter), or over. A waiting ticket newer than the snapshot (taken since the hub last looked)
 * is placed in it as `presentTicket` places it, never shown as over.
 */
export async function phoneView(
  ctx: Deps<'db'>,
  snapshot: QueueSnapshot,
  ticketId: number,
  key: string,
) {
  const waiting = (standing: NonNullable<ReturnType<typeof standingIn>>) => ({
    state: 'waiting',
    text: vi.queue.phone.ahead(standing.ahead),
    estimate: vi.queue.phone.estimate(standing.waitMinutes),
    ahead: standing.ahead,
  });
  // The snapshot answers most phones without a read: each is sent with every change.
  const known = standingIn(snapshot, ticketId);
  if (known) return waiting(known);
  const { ticket } = await ticketByKey(ctx, key);
  const placed = ticket.state === 'waiting' ? standingIn(snapshot, asWaiting(ticket)) : null;
  if (placed) return waiting(placed);
  const { counters } = await queueSetupOf(ctx, ticket.office_id);
  const counter = counters.find((c) => c.id === ticket.counter_id);
  if (ticket.state === 'called' || ticket.state === 'serving')
    return {
      state: ticket.state,
      text: vi.queue.phone.calledTo(counter?.name ?? ''),
      estimate: '',
    };
  return {
    state: ticket.state,
    text: ticket.state === 'no_show' ? vi.queue.phone.noShow : vi.queue.phone.finished,
    estimate: '',
  };
}

/** The phone that should be told when the number is near (the citizen typed it on the phone page). */
export async function followByPhone(ctx: Deps<'db'>, key: string, rawPhone: unknown) {
  const { ticket } = await ticketByKey(ctx, key);
  const phone = typeof rawPhone === 'string' ? normalizeMobile(rawPhone) : null;
  if (!phone) throw new ValidationError({ phone: E.badPhone });
  if (ticket.state !== 'waiting') throw new ConflictError(E.ticketClosed, 'ticket_closed');
  await transactionWithRetry(ctx.db, (tx) => moveTicket(tx, ticket.id, ['waiting'], { phone }));
}

/** A ticket the counter may receive a dossier from: of the office, and called or being served. */
export async function ticketForIntake(
  ctx: Deps<'db'>,
  officeId: number,
  ticketId: number,
): Promise<TicketRow> {
  const ticket = await findTicket(ctx.db, ticketId);
  if (!ticket || ticket.office_id !== officeId)
    throw new ValidationError({ ticket_id: E.ticketNotFound });
  if (ticket.state !== 'called' && ticket.state !== 'serving')
    throw new ValidationError({ ticket_id: E.ticketNotServing });
  return ticket;
}

/** The intake page opened from a called ticket: its number and the procedures of its group. */
export async function intakeTicketContext(ctx: Deps<'db'>, officeId: number, ticketId: number) {
  const ticket = await ticketForIntake(ctx, officeId, ticketId);
  const group = (await findGroups(ctx.db, officeId)).find((g) => g.id === ticket.group_id);
  const booking = ticket.appointment_id
    ? await findAppointment(ctx.db, ticket.appointment_id)
    : undefined;
  return {
    id: ticket.id,
    number: ticket.number,
    procedureIds: group?.procedureIds ?? [],
    applicant: booking
      ? { name: booking.applicant_name, personalId: booking.personal_id, phone: booking.phone }
      : null,
  };
}

/**
 * In the intake's transaction: the ticket's service was this intake, so it is served and done
 * (item 8: it no longer stays "being served" until the officer presses X, and the citizen's phone
 * stops calling them to the counter). A called ticket is served from now.
 */
export async function serveByIntake(
  tx: Tx,
  ticket: Pick<TicketRow, 'id' | 'office_id' | 'counter_id'> & {
    state: string;
    serving_at?: string | null;
  },
  at: Date,
): Promise<void> {
  const atIso = at.toISOString();
  const event = (kind: 'serving' | 'finished') =>
    insertQueueEvent(tx, {
      office_id: ticket.office_id,
      ticket_id: ticket.id,
      counter_id: ticket.counter_id,
      kind,
      at: atIso,
    });
  if (ticket.state === 'called') {
    if (!(await moveTicket(tx, ticket.id, ['called'], { state: 'serving', serving_at: atIso })))
      return;
    await event('serving');
  }
  const done = await moveTicket(tx, ticket.id, ['serving'], {
    state: 'done',
    finished_at: atIso,
  });
  if (done) await event('finished');
}

/** The queue's side of an intake from a called ticket, as the intake's port asks for it. */
export function intakeTicketsOf(deps: Deps<'db'>): IntakeTickets {
  return {
    forIntake: (officeId, ticketId) => ticketForIntake(deps, officeId, ticketId),
    context: (officeId, ticketId) => intakeTicketContext(deps, officeId, ticketId),
    startServing: (tx, ticket, at) => serveByIntake(tx, ticket, at),
  };
}
