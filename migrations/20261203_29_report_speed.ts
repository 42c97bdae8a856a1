import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// The period's report on the 1,000,000-dossier benchmark (docs/BENCHMARKS.md "Fourth round").
// - The digitisation section counts the results given in the period, per office: a covering
//   index of the dossiers that have a result, by result time, with what that query reads. Without
//   it the query walked, office by office, each office's whole history in the tracking book's
//   index (170–200 ms of a month's report). Partial on `result_at is not null`, so an intake (no
//   result yet) never writes it.
// - A SQLite database that was analysed (the benchmark's is) has statistics for its older
//   indexes but none for the tracking book's (made again by migration 25): the planner then took
//   it for a narrow index and read the table for every receipt of the headline figures instead
//   of the covering dossiers_receipts_by_channel (as migration 21 found for that index). Statistics
//   for it and for the new index keep the choice right (about 2 s for 1,000,000 dossiers); a
//   database never analysed plans without statistics and needs none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossiers_results_given on dossiers (result_at, office_id, status, procedure_code, procedure_name) where result_at is not null`.execute(
    db,
  );
  if (!isPostgres(db)) {
    const analysed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (analysed.rows.length > 0) {
      await sql`analyze dossiers_tracking_book`.execute(db);
      await sql`analyze dossiers_results_given`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_results_given').execute();
}
