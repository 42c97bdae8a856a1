import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// Indexes for the month report on the 1,000,000-dossier benchmark (docs/BENCHMARKS.md, issue 30).
// Both are partial on a condition only their one query states, so no other query can be drawn
// onto them: SQLite keeps no table statistics, and a new (office, receipt time) index was
// preferred for last month's overdue list (milliseconds → 3.7 s, measured) until it was made so.
// - The headline figures count a period's receipts per channel with their fees: this narrow
//   index answers the count alone instead of a dossier row per receipt (two months per report:
//   the period and the one before). Its condition is the column's own check, so it holds every
//   dossier; the query states it word for word, with the values written out (SQLite proves a
//   partial index from literal terms only, and drops `is not null` on a NOT NULL column).
// - The step report counts imported dossiers (which have no steps) received in the period: the
//   index holds only imported dossiers, so the count no longer reads every dossier of the period
//   to find none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('dossiers_receipts_by_channel')
    .on('dossiers')
    .columns(['office_id', 'received_at', 'intake_outcome', 'receiving_channel', 'fee_vnd'])
    .where(sql<boolean>`receiving_channel in ('counter', 'online', 'post')`)
    .execute();
  await db.schema
    .createIndex('dossiers_imported')
    .on('dossiers')
    .columns(['office_id', 'received_on'])
    .where(sql.ref('import_id'), 'is not', null)
    .execute();
  // A SQLite database that was analysed (the benchmark's is) has statistics for its other
  // indexes; without any for these two, the planner preferred the tracking book's index and read
  // the table for every receipt. Statistics for them too keep the choice right (about 2 s for
  // 1,000,000 dossiers); a database never analysed plans without statistics and needs none.
  if (!isPostgres(db)) {
    const analysed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (analysed.rows.length > 0) {
      await sql`analyze dossiers_receipts_by_channel`.execute(db);
      await sql`analyze dossiers_imported`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_imported').execute();
  await db.schema.dropIndex('dossiers_receipts_by_channel').execute();
}
