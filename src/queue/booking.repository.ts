import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { AppointmentHoldRow, AppointmentHoldTable } from '../db/schema-hall.js';
import type { AppointmentRow } from '../db/schema-queue.js';

/**
 * All SQL on booking holds and an office's day of bookings (appointment_holds, appointment_days),
 * and the appointment reads and changes that booking, cancelling and moving need.
 */

type Reader = Db | Tx;

/**
 * The first statement of every change to an office's day of bookings: makes sure its row exists
 * and updates it, which on PostgreSQL makes the changes of one office's day wait for each other
 * (so counting that day's holds and bookings in the same transaction is exact). SQLite has one
 * writer anyway.
 */
export async function lockOfficeDay(tx: Tx, officeId: number, day: string): Promise<void> {
  await tx
    .insertInto('appointment_days')
    .values({ office_id: officeId, day, holds: 0 })
    .onConflict((oc) => oc.columns(['office_id', 'day']).doNothing())
    .execute();
  await tx
    .updateTable('appointment_days')
    .set((eb) => ({ holds: eb.ref('holds') }))
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .execute();
}

/** Deletes the office's day's holds that expired; returns them (their places are to be given back). */
export async function deleteExpiredHolds(
  tx: Tx,
  officeId: number,
  day: string,
  nowIso: string,
): Promise<Pick<AppointmentHoldRow, 'group_id' | 'slot_start'>[]> {
  return tx
    .deleteFrom('appointment_holds')
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('expires_at', '<=', nowIso)
    .returning(['group_id', 'slot_start'])
    .execute();
}

/** Keeps the day row's count of unconfirmed holds true (informative; decisions count the rows). */
export async function recountHolds(tx: Tx, officeId: number, day: string): Promise<number> {
  const row = await tx
    .selectFrom('appointment_holds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('appointment_days')
    .set({ holds: Number(row.n) })
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .execute();
  return Number(row.n);
}

/** Holds and booked appointments of an office's day from one client address, or for one phone. */
export async function countActive(
  tx: Tx,
  officeId: number,
  day: string,
  by: { clientKey: string } | { phone: string },
): Promise<number> {
  const [holds, booked] = await Promise.all([
    tx
      .selectFrom('appointment_holds')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('office_id', '=', officeId)
      .where('day', '=', day)
      .where(
        'clientKey' in by ? 'client_key' : 'phone',
        '=',
        'clientKey' in by ? by.clientKey : by.phone,
      )
      .executeTakeFirstOrThrow(),
    tx
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('office_id', '=', officeId)
      .where('day', '=', day)
      .where('state', '=', 'booked')
      .where(
        'clientKey' in by ? 'client_key' : 'phone',
        '=',
        'clientKey' in by ? by.clientKey : by.phone,
      )
      .executeTakeFirstOrThrow(),
  ]);
  return Number(holds.n) + Number(booked.n);
}

export async function insertHold(
  tx: Tx,
  row: Insertable<AppointmentHoldTable>,
): Promise<AppointmentHoldRow> {
  return tx.insertInto('appointment_holds').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findHoldByRef(
  db: Reader,
  ref: string,
): Promise<AppointmentHoldRow | undefined> {
  return db.selectFrom('appointment_holds').selectAll().where('ref', '=', ref).executeTakeFirst();
}

/** One more wrong code; the attempts so far (undefined when the hold is gone). */
export async function countWrongCode(tx: Tx, id: number): Promise<number | undefined> {
  const row = await tx
    .updateTable('appointment_holds')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts;
}

/** Takes a hold away (confirmed, or dropped) if it is still there and, when given, not expired. */
export async function deleteHold(
  tx: Tx,
  id: number,
  aliveAtIso: string | null,
): Promise<AppointmentHoldRow | undefined> {
  let q = tx.deleteFrom('appointment_holds').where('id', '=', id);
  if (aliveAtIso) q = q.where('expires_at', '>', aliveAtIso);
  return q.returningAll().executeTakeFirst();
}

/** Expired holds of a group's day not swept yet, per slot: their places show as free already. */
export async function expiredHoldsPerSlot(
  db: Reader,
  groupId: number,
  day: string,
  nowIso: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('appointment_holds')
    .select(['slot_start', (eb) => eb.fn.countAll<number>().as('n')])
    .where('group_id', '=', groupId)
    .where('day', '=', day)
    .where('expires_at', '<=', nowIso)
    .groupBy('slot_start')
    .execute();
  return new Map(rows.map((r) => [r.slot_start, Number(r.n)]));
}

/** A booking cancelled (still booked until now); the row as it was, or undefined. */
export async function cancelBooked(
  tx: Tx,
  id: number,
  change: { at: string; by: number | null; reason: string | null },
): Promise<AppointmentRow | undefined> {
  return tx
    .updateTable('appointments')
    .set({
      state: 'cancelled',
      cancelled_at: change.at,
      cancelled_by: change.by,
      cancel_reason: change.reason,
    })
    .where('id', '=', id)
    .where('state', '=', 'booked')
    .returningAll()
    .executeTakeFirst();
}

/** A booking moved to another day or slot, if still booked. */
export async function moveBooked(
  tx: Tx,
  id: number,
  day: string,
  slotStart: string,
): Promise<AppointmentRow | undefined> {
  return tx
    .updateTable('appointments')
    .set({ day, slot_start: slotStart })
    .where('id', '=', id)
    .where('state', '=', 'booked')
    .returningAll()
    .executeTakeFirst();
}

/** An office's bookings of a day, by slot (the staff's list). */
export async function findBookingsOfDay(
  db: Reader,
  officeId: number,
  day: string,
): Promise<AppointmentRow[]> {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .orderBy('slot_start')
    .orderBy('id')
    .execute();
}

export async function findAppointment(db: Reader, id: number): Promise<AppointmentRow | undefined> {
  return db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One more wrong check-in by ID number against this booking. */
export async function countFailedCheckIn(tx: Tx, id: number): Promise<void> {
  await tx
    .updateTable('appointments')
    .set((eb) => ({ check_in_failures: eb('check_in_failures', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** A person's bookings of a day at an office that are booked or checked in (check-in by ID number). */
export async function findPersonsBookings(
  db: Reader,
  officeId: number,
  day: string,
  personalId: string,
): Promise<AppointmentRow[]> {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('personal_id', '=', personalId)
    .where('state', 'in', ['booked', 'checked_in'])
    .orderBy('slot_start')
    .execute();
}
