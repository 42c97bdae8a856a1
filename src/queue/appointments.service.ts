import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../context.js';
import type { AppointmentRow } from '../db/schema-queue.js';
import { UniqueViolationError } from '../db/errors.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, ValidationError } from '../errors.js';
import { addDays, instantAtLocal, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { loose, parseInput } from '../validation.js';
import { normalizeMobile } from '../lib/phone.js';
import { checkPersonalId } from '../dossiers/index.js';
import { workingHoursOf } from '../calendar/working-hours.js';
import {
  bookedPerSlot,
  findAppointmentsOfPerson,
  insertAppointment,
  reservePlace,
} from './appointments.repository.js';
import { findGroups } from './queue-setup.repository.js';
import { bookingCodeFrom, slotStarts } from './queue-rules.js';
import { openOfficeByCode } from './queue-setup.service.js';

const E = vi.queue.errors;
/** How far ahead a citizen may book. */
export const BOOKING_DAYS_AHEAD = 30;

export const bookingInputSchema = z.object({
  office: loose.text(40),
  service_group: loose.text(20),
  day: loose.text(10),
  slot: loose.text(5),
  applicant_name: loose.text(100),
  personal_id: loose.text(20),
  phone: loose.text(20),
});

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

/** The bookable groups of an office, and for a chosen group and day its slots with the places left. */
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
    const booked = await bookedPerSlot(ctx.db, group.id, day);
    slots = slotStarts(workingHoursOf(office), group.slot_minutes).map((start) => ({
      start,
      left: Math.max(0, group.slot_capacity - (booked.get(start) ?? 0)),
    }));
  }
  return { office, groups, group, days, slots };
}

/**
 * Books a slot: a place is taken with one conditional update (never past the capacity, however
 * many book at once), then the booking is written with a code the citizen shows at the kiosk.
 */
export async function bookAppointment(
  ctx: Deps<'clock' | 'db' | 'masterData'>,
  raw: unknown,
): Promise<AppointmentRow> {
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
  if (checkPersonalId(input.personal_id).includes('format')) fields.personal_id = E.badPersonalId;
  const phone = normalizeMobile(input.phone);
  if (!phone) fields.phone = E.badPhone;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  if ((await findAppointmentsOfPerson(ctx.db, office.id, input.day, input.personal_id)).length)
    throw new ValidationError({ personal_id: E.alreadyBooked });
  const now = ctx.clock.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await transactionWithRetry(ctx.db, async (tx) => {
        if (!(await reservePlace(tx, group!.id, input.day, input.slot, group!.slot_capacity)))
          throw new ConflictError(E.slotFull, 'slot_full');
        return insertAppointment(tx, {
          office_id: office.id,
          group_id: group!.id,
          day: input.day,
          slot_start: input.slot,
          code: bookingCodeFrom(randomBytes(8)),
          applicant_name: input.applicant_name,
          personal_id: input.personal_id,
          phone: phone!,
          state: 'booked',
          created_at: now.toISOString(),
        });
      });
    } catch (err) {
      // A code drawn twice (one in a trillion): draw again; the place taken was rolled back.
      if (err instanceof UniqueViolationError && attempt < 3) continue;
      throw err;
    }
  }
}

/** When a booked slot begins, as an instant. */
export const slotInstant = (a: Pick<AppointmentRow, 'day' | 'slot_start'>) =>
  instantAtLocal(a.day, a.slot_start);
