import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { AppointmentRow, AppointmentTable } from '../db/schema-queue.js';

/** All SQL on appointments and their slots. */

type Reader = Db | Tx;

/** How many bookings each slot of a group's day holds. */
export async function bookedPerSlot(
  db: Reader,
  groupId: number,
  day: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('appointment_slots')
    .select(['slot_start', 'booked'])
    .where('group_id', '=', groupId)
    .where('day', '=', day)
    .execute();
  return new Map(rows.map((r) => [r.slot_start, r.booked]));
}

/**
 * Takes one place of a slot if fewer than `capacity` are taken: one conditional UPDATE, so two
 * bookings of the last place cannot both succeed (PostgreSQL rechecks the condition on the row it
 * waited for; SQLite has one writer). False when the slot is full.
 */
export async function reservePlace(
  tx: Tx,
  groupId: number,
  day: string,
  slotStart: string,
  capacity: number,
): Promise<boolean> {
  await tx
    .insertInto('appointment_slots')
    .values({ group_id: groupId, day, slot_start: slotStart, booked: 0 })
    .onConflict((oc) => oc.columns(['group_id', 'day', 'slot_start']).doNothing())
    .execute();
  const taken = await tx
    .updateTable('appointment_slots')
    .set((eb) => ({ booked: eb('booked', '+', 1) }))
    .where('group_id', '=', groupId)
    .where('day', '=', day)
    .where('slot_start', '=', slotStart)
    .where('booked', '<', capacity)
    .returning('booked')
    .executeTakeFirst();
  return taken !== undefined;
}

export async function releasePlace(
  tx: Tx,
  groupId: number,
  day: string,
  slotStart: string,
): Promise<void> {
  await tx
    .updateTable('appointment_slots')
    .set((eb) => ({ booked: eb('booked', '-', 1) }))
    .where('group_id', '=', groupId)
    .where('day', '=', day)
    .where('slot_start', '=', slotStart)
    .where('booked', '>', 0)
    .execute();
}

export async function insertAppointment(
  tx: Tx,
  row: Insertable<AppointmentTable>,
): Promise<AppointmentRow> {
  return tx.insertInto('appointments').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findAppointmentByCode(
  db: Reader,
  code: string,
): Promise<AppointmentRow | undefined> {
  return db.selectFrom('appointments').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Marks a booking checked in, if it still is booked; false when another check-in won. */
export async function markCheckedIn(
  tx: Tx,
  id: number,
  ticketId: number,
  at: string,
): Promise<boolean> {
  const row = await tx
    .updateTable('appointments')
    .set({ state: 'checked_in', ticket_id: ticketId, checked_in_at: at })
    .where('id', '=', id)
    .where('state', '=', 'booked')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
