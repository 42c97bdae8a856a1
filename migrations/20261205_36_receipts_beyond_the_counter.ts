import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// The headline figures count a period's receipts per channel, the refusals at the counter and
// the fees (docs/BENCHMARKS.md "Twenty-second round"). Migration 21 gave that count a narrow
// index of every dossier; a month report read it twice (the period and the one before), about
// 28,000 entries for last month of 20 offices on the 1,000,000-dossier database, a sixth of the
// report's SQLite time. Most receipts are the plain case, accepted at the counter with no fee,
// and the report already knows how many were accepted from its counters (`received` in
// report_daily / report_monthly). The index now holds only the other receipts: through another
// channel, refused at the counter, or with a fee. The counter's accepted receipts are the
// counters' `received` less the other channels'. An intake of the plain case no longer writes
// the index at all.
//
// The query states the condition word for word (SQLite proves a partial index from literal terms
// only, as migration 21 found).
const BEYOND_THE_COUNTER =
  "receiving_channel <> 'counter' or intake_outcome = 'refused' or fee_vnd > 0";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_receipts_by_channel').execute();
  await sql`create index dossiers_receipts_beyond_counter on dossiers
    (office_id, received_at, intake_outcome, receiving_channel, fee_vnd)
    where ${sql.raw(BEYOND_THE_COUNTER)}`.execute(db);
  // Statistics for it when the database has some (the benchmark's): without them an analysed
  // database's planner takes an index it has figures for (migration 21).
  if (!isPostgres(db)) {
    const analysed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (analysed.rows.length > 0) await sql`analyze dossiers_receipts_beyond_counter`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_receipts_beyond_counter').execute();
  await db.schema
    .createIndex('dossiers_receipts_by_channel')
    .on('dossiers')
    .columns(['office_id', 'received_at', 'intake_outcome', 'receiving_channel', 'fee_vnd'])
    .where(sql<boolean>`receiving_channel in ('counter', 'online', 'post')`)
    .execute();
}
