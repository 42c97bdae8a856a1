import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { CalendarDayTable } from '../db/schema.js';

/** All SQL on calendar_days: the official schedule as the administrators keep it. */

export async function findCalendarDays(db: Db) {
  return db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute();
}

export async function findCalendarYear(db: Db, year: number) {
  return db.selectFrom('calendar_days').selectAll().where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').execute();
}

export async function insertCalendarDay(tx: Tx, row: Insertable<CalendarDayTable>): Promise<boolean> {
  const r = await tx.insertInto('calendar_days').values(row).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteCalendarDay(tx: Tx, day: string): Promise<boolean> {
  const r = await tx.deleteFrom('calendar_days').where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
