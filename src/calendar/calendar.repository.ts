import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { CalendarDayTable } from '../db/schema.js';

/** All SQL on the calendar: calendar_days, calendar_years and calendar_rules. */

export async function findCalendarDays(db: Db) {
  return db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute();
}

export async function findCalendarYearDays(db: Db, year: number) {
  return db
    .selectFrom('calendar_days')
    .selectAll()
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
}

export async function findKeptYears(db: Db) {
  return db.selectFrom('calendar_years').select(['year', 'status']).execute();
}

export async function findCalendarRules(db: Db) {
  return db.selectFrom('calendar_rules').select(['name', 'enabled']).execute();
}

export async function insertCalendarDay(
  tx: Tx,
  row: Insertable<CalendarDayTable>,
): Promise<boolean> {
  const r = await tx
    .insertInto('calendar_days')
    .values(row)
    .onConflict((oc) => oc.column('day').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteCalendarDay(tx: Tx, day: string): Promise<boolean> {
  const r = await tx.deleteFrom('calendar_days').where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Records that `year`'s schedule is kept in calendar_days, official or provisional. */
export async function upsertCalendarYear(
  tx: Tx,
  year: number,
  status: 'official' | 'provisional',
  at: string,
): Promise<void> {
  await tx
    .insertInto('calendar_years')
    .values({ year, status, updated_at: at })
    .onConflict((oc) => oc.column('year').doUpdateSet({ status, updated_at: at }))
    .execute();
}

export async function upsertCalendarRule(
  tx: Tx,
  name: string,
  enabled: boolean,
  at: string,
): Promise<void> {
  await tx
    .insertInto('calendar_rules')
    .values({ name, enabled: enabled ? 1 : 0, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: at }))
    .execute();
}
