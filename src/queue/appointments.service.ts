import { z } from 'zod';
import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { actorOf } from '../current-account.js';
import type { Tx } from '../db/database.js';
import type { OfficeRow } from '../db/schema.js';
import type { AppointmentRow } from '../db/schema-queue.js';
import { recordAccess, recordAudit } from '../audit/audit.service.js';
import { UniqueViolationError } from '../db/errors.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { formatDate } from '../lib/format.js';
import { normalizeMobile } from '../lib/phone.js';
import { instantAtLocal, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { loose, parseInput } from '../validation.js';
import {
  notifyBooking,
  notifySettingsOf,
  type NotifySettings,
} from '../notifications/notifications.service.js';
import { findAppointmentByCode, releasePlace, reservePlace } from './appointments.repository.js';
import {
  cancelBooked,
  findAppointment,
  findBookingsOfDay,
  lockOfficeDay,
  moveBooked,
} from './booking.repository.js';
import { bookingChoices, manageLink } from './booking.service.js';
import { findGroups } from './queue-setup.repository.js';
import { normalizeBookingCode } from './queue-rules.js';
import { officeOfId } from './queue-setup.service.js';

/**
 * A booking after it is made: the citizen sees, moves or cancels it with its code and the phone
 * it was confirmed on (the confirmation page and the SMS link lead here); staff list an office's
 * day and cancel a booking or a whole slot from the queue's administration, audited. A cancelled
 * booking's place is bookable again at once.
 */

const E = vi.queue.errors;
const B = vi.booking.errors;

/** When a booked slot begins, as an instant. */
export const slotInstant = (a: Pick<AppointmentRow, 'day' | 'slot_start'>) =>
  instantAtLocal(a.day, a.slot_start);

const manageSchema = z.object({ code: loose.text(40), phone: loose.text(20) });

/**
 * The booking the citizen may manage: its code and its phone match, and it is still to come.
 * Unknown code, wrong phone, a past or cancelled booking: one answer.
 */
export async function bookingForManage(
  ctx: Deps<'clock' | 'db'>,
  raw: unknown,
): Promise<AppointmentRow> {
  const input = parseInput(manageSchema, raw);
  const code = normalizeBookingCode(input.code);
  const phone = normalizeMobile(input.phone);
  const booking = code ? await findAppointmentByCode(ctx.db, code) : undefined;
  if (
    !booking ||
    !phone ||
    booking.phone !== phone ||
    booking.state !== 'booked' ||
    booking.day < localDateOf(ctx.clock.now())
  )
    throw new ValidationError({ code: B.manageNotFound });
  return booking;
}

/** A booking with what its page shows: office, service, and the slots it may move to. */
export async function bookingView(
  ctx: Deps<'clock' | 'db' | 'masterData'>,
  id: number,
  moveDay: string,
) {
  const booking = await findAppointment(ctx.db, id);
  if (!booking) throw new NotFoundError(B.manageNotFound);
  const office = await officeOfId(ctx, booking.office_id);
  const group = (await findGroups(ctx.db, office.id)).find((g) => g.id === booking.group_id);
  const choices = await bookingChoices(ctx, office.code, group?.code ?? '', moveDay);
  return { booking, office, group: group ?? null, choices };
}

/** Cancels a booked appointment in the caller's transaction; its place goes back at once. */
async function cancelIn(
  tx: Tx,
  booking: AppointmentRow,
  change: { at: string; by: number | null; reason: string | null },
): Promise<AppointmentRow | undefined> {
  const cancelled = await cancelBooked(tx, booking.id, change);
  if (cancelled) await releasePlace(tx, cancelled.group_id, cancelled.day, cancelled.slot_start);
  return cancelled;
}

/** `settings` are read before the transaction: never `ctx.db` inside it (db/database.ts). */
async function tellCancelled(
  settings: NotifySettings,
  tx: Tx,
  office: OfficeRow,
  booking: AppointmentRow,
  reason: string,
  at: Date,
) {
  await notifyBooking(tx, settings, {
    kind: 'booking_cancelled',
    officeId: office.id,
    phone: booking.phone,
    values: {
      co_quan: office.short_name,
      ma_dat_lich: booking.code,
      gio_hen: `${booking.slot_start} ${formatDate(booking.day)}`,
      ly_do: reason,
    },
    at,
    validMs: 24 * 3_600_000,
  });
}

/** The citizen cancels their booking (after `bookingForManage`); audited, and an SMS says so. */
export async function cancelByCitizen(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  id: number,
): Promise<AppointmentRow> {
  const booking = await findAppointment(ctx.db, id);
  if (!booking || booking.state !== 'booked') throw new ValidationError({ code: B.manageNotFound });
  const office = await officeOfId(ctx, booking.office_id);
  const now = ctx.clock.now();
  const settings = await notifySettingsOf(ctx);
  const done = await transactionWithRetry(ctx.db, async (tx) => {
    await lockOfficeDay(tx, booking.office_id, booking.day);
    const cancelled = await cancelIn(tx, booking, {
      at: now.toISOString(),
      by: null,
      reason: null,
    });
    if (!cancelled) throw new ValidationError({ code: B.manageNotFound });
    await recordAudit(tx, {
      at: now,
      actor: null,
      action: 'appointment.cancelled',
      subject: booking.code,
      details: { office: office.code, day: booking.day, slot: booking.slot_start, by: 'citizen' },
    });
    await tellCancelled(settings, tx, office, booking, '', now);
    return cancelled;
  });
  return done;
}

const moveSchema = z.object({ day: loose.text(10), slot: loose.text(5) });

/** The citizen moves their booking to another day or slot of the same service; the old place goes back. */
export async function moveByCitizen(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  id: number,
  raw: unknown,
): Promise<AppointmentRow> {
  const input = parseInput(moveSchema, raw);
  const { booking, office, group, choices } = await bookingView(ctx, id, input.day);
  if (booking.state !== 'booked' || !group) throw new ValidationError({ code: B.manageNotFound });
  if (!isIsoDate(input.day) || !choices.days.includes(input.day))
    throw new ValidationError({ day: E.badDay });
  const slot = choices.slots.find((s) => s.start === input.slot);
  if (!slot) throw new ValidationError({ slot: E.badSlot });
  if (input.day === booking.day && input.slot === booking.slot_start)
    throw new ValidationError({ slot: B.sameSlot });
  const now = ctx.clock.now();
  const settings = await notifySettingsOf(ctx);
  try {
    return await transactionWithRetry(ctx.db, async (tx) => {
      // Both days' rows, in order, so two moves between the same days never wait for each other.
      for (const day of [...new Set([booking.day, input.day])].sort())
        await lockOfficeDay(tx, office.id, day);
      if (!(await reservePlace(tx, group.id, input.day, input.slot, group.slot_capacity)))
        throw new ConflictError(E.slotFull, 'slot_full');
      const moved = await moveBooked(tx, booking.id, input.day, input.slot);
      if (!moved) throw new ValidationError({ code: B.manageNotFound });
      await releasePlace(tx, booking.group_id, booking.day, booking.slot_start);
      await recordAudit(tx, {
        at: now,
        actor: null,
        action: 'appointment.moved',
        subject: booking.code,
        details: {
          office: office.code,
          from: `${booking.day} ${booking.slot_start}`,
          to: `${input.day} ${input.slot}`,
        },
      });
      await notifyBooking(tx, settings, {
        kind: 'booking_confirmed',
        officeId: office.id,
        phone: booking.phone,
        values: {
          co_quan: office.short_name,
          dich_vu: group.name,
          gio_hen: `${input.slot} ${formatDate(input.day)}`,
          ma_dat_lich: booking.code,
          lien_ket: manageLink(ctx, booking.code),
        },
        at: now,
        validMs: 24 * 3_600_000,
      });
      return moved;
    });
  } catch (err) {
    // Their own other booking that day at the office: the index refuses the move.
    if (err instanceof UniqueViolationError)
      throw new ValidationError({ day: B.ownBookingThatDay });
    throw err;
  }
}

// ---- Staff: the queue administration's list of an office's day -----------------------------

const dayQuery = z.object({ office: loose.text(12), day: loose.text(10) });

/** An office's bookings of a day for its staff (a view of personal data: logged). */
export async function bookingsOfDay(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  account: CurrentAccount,
  raw: unknown,
) {
  const q = parseInput(dayQuery, raw);
  const scope = await accessibleOfficeIds(ctx, account);
  const offices = (await ctx.masterData.offices()).filter(
    (o) => !o.valid_to && scope.includes(o.id),
  );
  const office =
    offices.find((o) => String(o.id) === q.office) ??
    offices.find((o) => o.id === account.officeId) ??
    offices[0];
  if (!office) throw new NotFoundError();
  const day = isIsoDate(q.day) ? q.day : localDateOf(ctx.clock.now());
  const [rows, groups] = await Promise.all([
    findBookingsOfDay(ctx.db, office.id, day),
    findGroups(ctx.db, office.id),
  ]);
  await recordAccess(ctx, account, 'appointments.listed', `${office.code}/${day}`, {
    count: rows.length,
  });
  // The slots with bookings still standing, each freed at once by the form beside it.
  const slots = new Map<
    string,
    { groupId: number; groupName: string; slot: string; booked: number }
  >();
  for (const b of rows.filter((r) => r.state === 'booked')) {
    const key = `${b.group_id} ${b.slot_start}`;
    const entry = slots.get(key) ?? {
      groupId: b.group_id,
      groupName: groups.find((g) => g.id === b.group_id)?.name ?? '',
      slot: b.slot_start,
      booked: 0,
    };
    entry.booked++;
    slots.set(key, entry);
  }
  return {
    offices,
    office,
    day,
    slots: [...slots.values()],
    bookings: rows.map((b) => ({
      ...b,
      groupName: groups.find((g) => g.id === b.group_id)?.name ?? '',
      // Staff see the last four digits: enough to tell two people apart at the desk.
      personalIdShown: `••••••••${b.personal_id.slice(-4)}`,
    })),
  };
}

const cancelSchema = z.object({ reason: loose.text(200) });

/** Staff cancel one booking (with a reason the citizen is told); audited. */
export async function cancelByStaff(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  account: CurrentAccount,
  id: number,
  raw: unknown,
): Promise<AppointmentRow> {
  const reason = parseInput(cancelSchema, raw).reason.trim();
  if (reason.length < 3) throw new ValidationError({ reason: B.reasonRequired });
  const booking = await findAppointment(ctx.db, id);
  if (!booking || !(await accessibleOfficeIds(ctx, account)).includes(booking.office_id))
    throw new NotFoundError(B.manageNotFound);
  const office = await officeOfId(ctx, booking.office_id);
  const now = ctx.clock.now();
  const settings = await notifySettingsOf(ctx);
  return transactionWithRetry(ctx.db, async (tx) => {
    await lockOfficeDay(tx, booking.office_id, booking.day);
    const cancelled = await cancelIn(tx, booking, {
      at: now.toISOString(),
      by: account.id,
      reason,
    });
    if (!cancelled) throw new ConflictError(B.notBooked, 'not_booked');
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'appointment.cancelled',
      subject: booking.code,
      details: { office: office.code, day: booking.day, slot: booking.slot_start, reason },
    });
    await tellCancelled(settings, tx, office, booking, reason, now);
    return cancelled;
  });
}

const slotSchema = z.object({
  office_id: loose.text(12),
  group_id: loose.text(12),
  day: loose.text(10),
  slot: loose.text(5),
  reason: loose.text(200),
});

/** Staff free a whole slot: every booking of it is cancelled (each citizen told); audited. */
export async function cancelSlotByStaff(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  account: CurrentAccount,
  raw: unknown,
): Promise<number> {
  const input = parseInput(slotSchema, raw);
  const reason = input.reason.trim();
  if (reason.length < 3) throw new ValidationError({ reason: B.reasonRequired });
  const officeId = Number(input.office_id);
  if (!(await accessibleOfficeIds(ctx, account)).includes(officeId) || !isIsoDate(input.day))
    throw new NotFoundError();
  const office = await officeOfId(ctx, officeId);
  const now = ctx.clock.now();
  const settings = await notifySettingsOf(ctx);
  return transactionWithRetry(ctx.db, async (tx) => {
    await lockOfficeDay(tx, officeId, input.day);
    const inSlot = (await findBookingsOfDay(tx, officeId, input.day)).filter(
      (b) =>
        String(b.group_id) === input.group_id &&
        b.slot_start === input.slot &&
        b.state === 'booked',
    );
    for (const b of inSlot) {
      if (await cancelIn(tx, b, { at: now.toISOString(), by: account.id, reason }))
        await tellCancelled(settings, tx, office, b, reason, now);
    }
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'appointment.slot_freed',
      subject: `${office.code}/${input.day} ${input.slot}`,
      details: { group: Number(input.group_id), cancelled: inSlot.map((b) => b.code), reason },
    });
    return inSlot.length;
  });
}
