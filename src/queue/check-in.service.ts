import { z } from 'zod';
import type { Deps } from '../context.js';
import type { AppointmentRow } from '../db/schema-queue.js';
import { transactionWithRetry } from '../db/transactions.js';
import { ConflictError, ValidationError } from '../errors.js';
import { instantAtLocal, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { loose, parseInput } from '../validation.js';
import { findAppointmentByCode, markCheckedIn } from './appointments.repository.js';
import { countFailedCheckIn, findPersonsBookings } from './booking.repository.js';
import { confirmCodeHash } from './booking.service.js';
import { findGroups } from './queue-setup.repository.js';
import { normalizeBookingCode } from './queue-rules.js';
import { openOfficeByCode } from './queue-setup.service.js';
import { hallOpenNow, writeTicket } from './tickets.service.js';

/**
 * An appointment arrives (at the kiosk or the counter) and becomes a ticket that goes ahead of
 * walk-ins once its slot has begun. Only the citizen can do it: with the booking code, or with
 * the ID number together with what only they have, the last four digits of the phone they booked
 * with or the code the SMS brought. An unknown booking and a wrong proof get one answer, and
 * after a few wrong proofs against one booking only its code checks it in.
 */

const E = vi.queue.errors;
/** Wrong proofs by ID number a booking takes before only its code opens it. */
export const CHECK_IN_FAILURES = 5;

export const checkInInputSchema = z.object({
  office: loose.text(40),
  booking: loose.text(40),
  proof: loose.text(20),
});

function proofMatches(
  ctx: Deps<'config'>,
  booking: AppointmentRow,
  personalId: string,
  proof: string,
): boolean {
  if (booking.check_in_failures >= CHECK_IN_FAILURES) return false;
  if (/^\d{4}$/.test(proof)) return booking.phone.endsWith(proof);
  if (/^\d{6}$/.test(proof))
    return booking.confirm_code_hash === confirmCodeHash(ctx, personalId, proof);
  return false;
}

/** The booking the citizen proved, or the one answer for everything else. */
async function provenBooking(
  ctx: Deps<'config' | 'db'>,
  officeId: number,
  today: string,
  text: string,
  proof: string,
): Promise<AppointmentRow> {
  const notFound = () => new ValidationError({ booking: E.bookingNotFound });
  const personalId = text.replace(/[\s.-]/g, '');
  if (/^\d{12}$/.test(personalId)) {
    const candidates = await findPersonsBookings(ctx.db, officeId, today, personalId);
    const match = candidates.find((b) => proofMatches(ctx, b, personalId, proof));
    if (!match) {
      if (candidates.length)
        await transactionWithRetry(ctx.db, async (tx) => {
          for (const b of candidates) await countFailedCheckIn(tx, b.id);
        });
      throw notFound();
    }
    return match;
  }
  const code = normalizeBookingCode(text);
  const booking = code ? await findAppointmentByCode(ctx.db, code) : undefined;
  if (!booking || booking.office_id !== officeId || booking.state === 'cancelled') throw notFound();
  // The code is the citizen's own: it may say more than "not found".
  if (booking.day !== today) throw new ValidationError({ booking: E.bookingNotToday });
  return booking;
}

export async function checkIn(
  ctx: Deps<'clock' | 'config' | 'db' | 'masterData' | 'queueHub'>,
  raw: unknown,
  allowedOfficeId: number | null,
) {
  const input = parseInput(checkInInputSchema, raw);
  const office = await openOfficeByCode(ctx, input.office);
  if (allowedOfficeId !== null && office.id !== allowedOfficeId)
    throw new ValidationError({ office: E.ticketOtherOffice });
  if (!(await hallOpenNow(ctx, office))) throw new ConflictError(E.hallClosed, 'office_closed');
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const booking = await provenBooking(
    ctx,
    office.id,
    today,
    input.booking.trim(),
    input.proof.replace(/\s/g, ''),
  );
  if (booking.state !== 'booked') throw new ConflictError(E.bookingUsed, 'booking_used');
  const group = (await findGroups(ctx.db, office.id)).find((g) => g.id === booking.group_id);
  if (!group?.active) throw new ValidationError({ booking: E.groupClosed });
  const ticket = await transactionWithRetry(ctx.db, async (tx) => {
    const t = await writeTicket(tx, office, group, now, {
      appointmentId: booking.id,
      slotAt: instantAtLocal(booking.day, booking.slot_start).toISOString(),
    });
    if (!(await markCheckedIn(tx, booking.id, t.id, now.toISOString())))
      throw new ConflictError(E.bookingUsed, 'booking_used');
    return t;
  });
  ctx.queueHub.poke(office.id, false);
  return { ticket, group, office };
}
