import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// One source of working hours (issue 28, item 7): the hours an office publishes are rendered
// from its working hours (`offices.working_hours`) and the calendar's working week, never typed
// beside them. The free-text `opening_hours` goes; an office still counting from the old default
// 07:00 while it published the demo's 7:30 text gets the hours it published.
const OLD_DEFAULT = '07:00-11:30,13:30-17:00';
const DEMO_PUBLISHED =
  'Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00; sáng thứ Bảy: 7:30–11:30 (tiếp nhận hồ sơ cư trú)';
const DEMO_HOURS = '07:30-11:30,13:30-17:00';

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .updateTable('offices')
    .set({ working_hours: DEMO_HOURS })
    .where('working_hours', '=', OLD_DEFAULT)
    .where('opening_hours', '=', DEMO_PUBLISHED)
    .execute();
  await db.schema.alterTable('offices').dropColumn('opening_hours').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('offices')
    .addColumn('opening_hours', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
