import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// Indexes for the counter board and the deadline lists, found on PostgreSQL with the benchmark
// database (docs/BENCHMARKS.md):
// - "received today" asks for an office's receipts of one day, newest first: with the day in the
//   index before the time, the rows come in order and the planner no longer walks the office's
//   whole history backwards looking for them (53 ms → well under 1 ms for an office with
//   nothing received today);
// - on PostgreSQL the overdue and due-soon lists read open dossiers in due order: an index on
//   the effective due instant of open dossiers gives them in that order.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_office_received_on').execute();
  await db.schema
    .createIndex('dossiers_office_received_on')
    .on('dossiers')
    .columns(['office_id', 'received_on', 'received_at'])
    .execute();
  if (isPostgres(db)) {
    await sql`create index dossiers_open_by_due on dossiers ((coalesce(rescheduled_due_at, due_at)), id)
      where closed_at is null and result_at is null`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`drop index dossiers_open_by_due`.execute(db);
  await db.schema.dropIndex('dossiers_office_received_on').execute();
  await db.schema
    .createIndex('dossiers_office_received_on')
    .on('dossiers')
    .columns(['office_id', 'received_on'])
    .execute();
}
