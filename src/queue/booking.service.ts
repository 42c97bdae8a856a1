import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../context.js';
import type { Tx } from '../db/database.js';
import type { AppointmentHoldRow } from '../db/schema-hall.js';
import type { AppointmentRow } from '../db/schema-queue.js';
import { UniqueViolationError } from '../db/errors.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatDate } from '../lib/format.js';
import { normalizeMobile } from '../lib/phone.js';
import { addDays, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { loose, parseInput } from '../validation.js';
import { checkPersonalId } from '../dossiers/index.js';
import { publishedHoursOf, workingHoursOf } from '../calendar/working-hours.js';
import { activeProcedures } from '../procedures/procedures.service.js';
import { notifyBooking, notifySettingsOf } from '../notifications/notifications.service.js';
import {
  bookedPerSlot,
  insertAppointment,
  releasePlace,
  reservePlace,
} from './appointments.repository.js';
import {
  countActive,
  countWrongCode,
  deleteExpiredHolds,
  deleteHold,
  expiredHoldsPerSlot,
  findHoldByRef,
  insertHold,
  lockOfficeDay,
  recountHolds,
} from './booking.repository.js';
import { findGroups } from './queue-setup.repository.js';
import { openOfficeByCode } from './queue-setup.service.js';
import { bookingCodeFrom, slotStarts } from './queue-rules.js';

/**
 * Online booking that proves who books (docs/SECURITY.md "The queue's public pages"): a booking
 * first is a hold on its place, and a code goes to the phone given (through the outbox); only
 * that code makes it a booking, and a hold nobody confirms expires after a few minutes. Every
 * change to an office's day begins by updating that day's row (`lockOfficeDay`), so the quotas
 * counted after it are exact on both engines: per client address and per phone for an office's
 * day, and the unconfirmed holds an office's day may have at once. One booking per ID number,
 * office and day is the database's unique index; whether an ID number has a booking is never
 * told apart from an expired hold.
 */

const E = vi.queue.errors;
const B = vi.booking.errors;
/** Wrong codes a hold survives. */
export const HOLD_CODE_ATTEMPTS = 5;

export const bookingInputSchema = z.object({
  office: loose.text(40),
  service_group: loose.text(20),
  day: loose.text(10),
  slot: loose.text(5),
  applicant_name: loose.text(100),
  personal_id: loose.text(20),
  phone: loose.text(20),
});

/** How far ahead a citizen may book. */
export const BOOKING_DAYS_AHEAD = 30;

/** The working days a booking may fall on: tomorrow to 30 days ahead, from the calendar. */
export async function bookableDays(ctx: Deps<'clock' | 'masterData'>): Promise<string[]> {
  const calendar = await ctx.masterData.calendar();
  const today = localDateOf(ctx.clock.now());
  const days: string[] = [];
  for (let i = 1; i <= BOOKING_DAYS_AHEAD; i++) {
    const day = addDays(today, i);
    if (calendar.isWorkingDay(day)) days.push(day);
  }
  return days;
}

/**
 * The bookable groups of an office, and for a chosen group and day its slots with the places
 * left (a hold that expired and was not swept yet shows its place as free).
 */
export async function bookingChoices(
  ctx: Deps<'clock' | 'db' | 'masterData'>,
  officeCode: string,
  groupCode: string,
  day: string,
) {
  const office = await openOfficeByCode(ctx, officeCode);
  const groups = (await findGroups(ctx.db, office.id)).filter(
    (g) => g.active && g.slot_capacity > 0,
  );
  const group = groups.find((g) => g.code === groupCode) ?? null;
  const days = await bookableDays(ctx);
  let slots: { start: string; left: number }[] = [];
  if (group && days.includes(day)) {
    const [booked, expired] = await Promise.all([
      bookedPerSlot(ctx.db, group.id, day),
      expiredHoldsPerSlot(ctx.db, group.id, day, ctx.clock.now().toISOString()),
    ]);
    slots = slotStarts(workingHoursOf(office), group.slot_minutes).map((start) => ({
      start,
      left: Math.max(0, group.slot_capacity - (booked.get(start) ?? 0) + (expired.get(start) ?? 0)),
    }));
  }
  return { office, hours: publishedHoursOf(office), groups, group, days, slots };
}

const digest = (ctx: Deps<'config'>, text: string) =>
  createHmac('sha256', ctx.config.lookupKeySecret).update(text).digest('hex').slice(0, 40);

/** The client address as the quotas keep it: a keyed digest, never the address. */
export const clientKeyOf = (ctx: Deps<'config'>, address: string) =>
  digest(ctx, `booking-client:${address}`);

const holdCodeHash = (ctx: Deps<'config'>, ref: string, code: string) =>
  digest(ctx, `booking-hold:${ref}:${code}`);

/** The confirmation code as the booking keeps it: with the ID number, for a check-in by both. */
export const confirmCodeHash = (ctx: Deps<'config'>, personalId: string, code: string) =>
  digest(ctx, `booking-confirm:${personalId}:${code}`);

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A booking asked for: checks the fields, takes the slot's place for a few minutes, and queues
 * the code to the phone. Returns the hold's random reference (the confirmation page's address).
 */
export async function placeHold(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  raw: unknown,
  clientKey: string,
): Promise<{ ref: string }> {
  const input = parseInput(bookingInputSchema, raw);
  const { office, group, days } = await bookingChoices(
    ctx,
    input.office,
    input.service_group,
    input.day,
  );
  const fields: Record<string, string> = {};
  if (!group) fields.service_group = E.notBookable;
  if (!isIsoDate(input.day) || !days.includes(input.day)) fields.day = E.badDay;
  const slots = group ? slotStarts(workingHoursOf(office), group.slot_minutes) : [];
  if (!fields.day && !slots.includes(input.slot)) fields.slot = E.badSlot;
  if (input.applicant_name.length < 2) fields.applicant_name = E.badName;
  if (checkPersonalId(input.personal_id).length) fields.personal_id = E.badPersonalId;
  const phone = normalizeMobile(input.phone);
  if (!phone) fields.phone = E.badPhone;
  if (Object.keys(fields).length || !group || !phone) throw new ValidationError(fields);

  const limits = ctx.config.booking;
  const settings = await notifySettingsOf(ctx);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const ref = randomBytes(18).toString('base64url');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await transactionWithRetry(ctx.db, async (tx) => {
    await lockOfficeDay(tx, office.id, input.day);
    await sweepHolds(tx, office.id, input.day, nowIso);
    if ((await recountHolds(tx, office.id, input.day)) >= limits.holdsPerOfficeDay)
      throw new ConflictError(B.dayBusy, 'booking_busy');
    if (
      (await countActive(tx, office.id, input.day, { clientKey })) >= limits.perAddressPerDay ||
      (await countActive(tx, office.id, input.day, { phone })) >= limits.perPhonePerDay
    )
      throw new ConflictError(B.quota, 'booking_quota');
    if (!(await reservePlace(tx, group.id, input.day, input.slot, group.slot_capacity)))
      throw new ConflictError(E.slotFull, 'slot_full');
    await insertHold(tx, {
      ref,
      office_id: office.id,
      group_id: group.id,
      day: input.day,
      slot_start: input.slot,
      applicant_name: input.applicant_name,
      personal_id: input.personal_id,
      phone,
      code_hash: holdCodeHash(ctx, ref, code),
      client_key: clientKey,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + limits.holdMinutes * 60_000).toISOString(),
    });
    await notifyBooking(tx, settings, {
      kind: 'booking_code',
      officeId: office.id,
      phone,
      values: {
        co_quan: office.short_name,
        ma_xac_nhan: code,
        han_phut: String(limits.holdMinutes),
      },
      secret: code,
      at: now,
      validMs: limits.holdMinutes * 60_000,
    });
  });
  return { ref };
}

/** Expired holds of an office's day give their places back (in the day's transaction). */
async function sweepHolds(tx: Tx, officeId: number, day: string, nowIso: string): Promise<void> {
  for (const h of await deleteExpiredHolds(tx, officeId, day, nowIso))
    await releasePlace(tx, h.group_id, day, h.slot_start);
}

/** A hold dropped (too many wrong codes, or its ID number booked already): its place goes back. */
async function dropHold(ctx: Deps<'db'>, hold: AppointmentHoldRow): Promise<void> {
  await transactionWithRetry(ctx.db, async (tx) => {
    await lockOfficeDay(tx, hold.office_id, hold.day);
    if (await deleteHold(tx, hold.id, null))
      await releasePlace(tx, hold.group_id, hold.day, hold.slot_start);
    await recountHolds(tx, hold.office_id, hold.day);
  });
}

/** The confirmation page of a hold still alive, or null (expired, confirmed, dropped, unknown). */
export async function liveHold(ctx: Deps<'clock' | 'db'>, ref: string) {
  const hold = /^[\w-]{20,40}$/.test(ref) ? await findHoldByRef(ctx.db, ref) : undefined;
  if (!hold || hold.expires_at <= ctx.clock.now().toISOString()) return null;
  return {
    ref: hold.ref,
    day: hold.day,
    slot: hold.slot_start,
    /** The phone as the page shows it: its last three digits only. */
    phone: `${'•'.repeat(hold.phone.length - 3)}${hold.phone.slice(-3)}`,
    expiresAt: hold.expires_at,
    attemptsLeft: HOLD_CODE_ATTEMPTS - hold.attempts,
  };
}

/**
 * The code from the phone: the hold becomes a booking (its place kept) with a booking code the
 * citizen shows at the kiosk. A wrong code is counted (five and the hold is dropped). An unknown
 * or expired hold and an ID number that has a booking that day at the office get one answer.
 */
export async function confirmHold(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData'>,
  ref: string,
  raw: unknown,
): Promise<AppointmentRow> {
  const typed = parseInput(z.object({ code: loose.text(20) }), raw).code.replace(/\s/g, '');
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const hold = /^[\w-]{20,40}$/.test(ref) ? await findHoldByRef(ctx.db, ref) : undefined;
  if (!hold || hold.expires_at <= nowIso)
    throw new ConflictError(B.notConfirmed, 'booking_not_confirmed');
  if (!/^\d{6}$/.test(typed)) throw new ValidationError({ code: B.badConfirmCode });
  if (!sameDigest(holdCodeHash(ctx, hold.ref, typed), hold.code_hash)) {
    const attempts = await transactionWithRetry(ctx.db, (tx) => countWrongCode(tx, hold.id));
    if (attempts === undefined || attempts >= HOLD_CODE_ATTEMPTS) {
      await dropHold(ctx, hold);
      throw new ConflictError(B.notConfirmed, 'booking_not_confirmed');
    }
    throw new ValidationError({ code: B.wrongCode(HOLD_CODE_ATTEMPTS - attempts) });
  }
  const office = (await ctx.masterData.offices()).find((o) => o.id === hold.office_id)!;
  const group = (await findGroups(ctx.db, office.id)).find((g) => g.id === hold.group_id);
  const settings = await notifySettingsOf(ctx);
  for (let attempt = 0; ; attempt++) {
    try {
      return await transactionWithRetry(ctx.db, async (tx) => {
        await lockOfficeDay(tx, hold.office_id, hold.day);
        if (!(await deleteHold(tx, hold.id, nowIso)))
          throw new ConflictError(B.notConfirmed, 'booking_not_confirmed');
        await recountHolds(tx, hold.office_id, hold.day);
        const booking = await insertAppointment(tx, {
          office_id: hold.office_id,
          group_id: hold.group_id,
          day: hold.day,
          slot_start: hold.slot_start,
          code: bookingCodeFrom(randomBytes(8)),
          applicant_name: hold.applicant_name,
          personal_id: hold.personal_id,
          phone: hold.phone,
          state: 'booked',
          created_at: nowIso,
          client_key: hold.client_key,
          confirm_code_hash: confirmCodeHash(ctx, hold.personal_id, typed),
        });
        await notifyBooking(tx, settings, {
          kind: 'booking_confirmed',
          officeId: office.id,
          phone: hold.phone,
          values: {
            co_quan: office.short_name,
            dich_vu: group?.name ?? '',
            gio_hen: `${hold.slot_start} ${formatDate(hold.day)}`,
            ma_dat_lich: booking.code,
            lien_ket: manageLink(ctx, booking.code),
          },
          at: now,
          validMs: 24 * 3_600_000,
        });
        return booking;
      });
    } catch (err) {
      if (!(err instanceof UniqueViolationError)) throw err;
      // A booking code drawn twice (one in a trillion): draw again.
      if (err.isOn('appointments.code') && attempt < 3) continue;
      // The ID number has its booking that day at the office: the hold gives its place back.
      await dropHold(ctx, hold);
      throw new ConflictError(B.notConfirmed, 'booking_not_confirmed');
    }
  }
}

/** Where the citizen sees, moves or cancels a booking (its code rides along; the phone is asked). */
export const manageLink = (ctx: Deps<'config'>, code: string) =>
  `${ctx.config.publicBaseUrl}/dat-lich/cua-toi?ma=${encodeURIComponent(code)}`;

/**
 * What to bring for a service: the papers of each of its procedures (required first), for the
 * confirmation page. The catalog comes from the master-data cache.
 */
export async function papersOf(
  ctx: Deps<'db' | 'masterData'>,
  group: { procedureIds: number[] } | null,
): Promise<{ name: string; documents: { name: string; required: boolean }[] }[]> {
  if (!group) return [];
  const procedures = (await activeProcedures(ctx)).filter((p) => group.procedureIds.includes(p.id));
  const full = await Promise.all(procedures.map((p) => ctx.masterData.procedure(p.code)));
  return full
    .filter((p) => p !== undefined)
    .map((p) => ({
      name: p.name,
      documents: [...p.documents]
        .sort((a, b) => b.required - a.required || a.position - b.position)
        .map((d) => ({ name: d.name, required: d.required === 1 })),
    }));
}
