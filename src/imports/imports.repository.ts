import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { Database } from '../db/schema.js';

/** All SQL on the imports table (one row per import run). */

export async function insertImportRun(
  tx: Tx,
  run: Insertable<Database['imports']>,
): Promise<number> {
  const row = await tx.insertInto('imports').values(run).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImportRun(
  tx: Tx,
  id: number,
  counts: { imported_count: number; skipped_count: number; row_count: number },
): Promise<void> {
  await tx.updateTable('imports').set(counts).where('id', '=', id).execute();
}

export async function findImportRuns(db: Db, limit = 20) {
  return db
    .selectFrom('imports as i')
    .innerJoin('offices as o', 'o.id', 'i.office_id')
    .innerJoin('accounts as a', 'a.id', 'i.account_id')
    .select([
      'i.id',
      'i.at',
      'i.file_name',
      'i.row_count',
      'i.imported_count',
      'i.skipped_count',
      'o.name as office_name',
      'o.code as office_code',
      'a.full_name as account_name',
    ])
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}
