import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Which years have a schedule kept in calendar_days, and whether it is the official one or a
// provisional projection an administrator may still correct; and the pending-holiday switches.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull()) // 'official' | 'provisional'
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('calendar_rules')
    .addColumn('name', 'text', (c) => c.primaryKey()) // 'culture_day' (24/11)
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Years an administrator or the seeds already entered are their official schedules.
  await sql`insert into calendar_years (year, status, updated_at)
    select distinct cast(substr(day, 1, 4) as integer), 'official', cast(${new Date().toISOString()} as text) from calendar_days`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_rules').execute();
  await db.schema.dropTable('calendar_years').execute();
}
