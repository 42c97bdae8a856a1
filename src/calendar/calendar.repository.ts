import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { WorkingCalendar } from './working-days.js';

/** The official calendar as the administrators keep it (holidays and make-up Saturdays). */
export async function loadWorkingCalendar(db: Kysely<Database>): Promise<WorkingCalendar> {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute();
  return new WorkingCalendar(rows);
}
