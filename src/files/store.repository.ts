import type { Db, Tx } from '../db/database.js';
import { inTransaction } from '../db/transactions.js';

/** All SQL of the database file store (file_store_objects, file_store_chunks). */

export async function findStoreObject(
  db: Db,
  sha256: string,
): Promise<{ size: number; chunks: number } | undefined> {
  return db
    .selectFrom('file_store_objects')
    .select(['size', 'chunks'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function readChunk(db: Db, sha256: string, seq: number): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('file_store_chunks')
    .select('data')
    .where('sha256', '=', sha256)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? Buffer.from(row.data) : undefined;
}

/**
 * Writes an object in one transaction: leftovers of an interrupted write go first, then the
 * chunks as `next()` yields them, then the object's row, which makes it exist. False when another
 * writer stored the same bytes first.
 */
export async function writeStoreObject(
  db: Db,
  object: { sha256: string; size: number; createdAt: string },
  next: () => Promise<Buffer | null>,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    if (
      await tx
        .selectFrom('file_store_objects')
        .select('sha256')
        .where('sha256', '=', object.sha256)
        .executeTakeFirst()
    )
      return false;
    await tx.deleteFrom('file_store_chunks').where('sha256', '=', object.sha256).execute();
    let seq = 0;
    for (let chunk = await next(); chunk; chunk = await next()) {
      await tx
        .insertInto('file_store_chunks')
        .values({ sha256: object.sha256, seq: seq++, data: chunk })
        .execute();
    }
    await tx
      .insertInto('file_store_objects')
      .values({
        sha256: object.sha256,
        size: object.size,
        chunks: seq,
        created_at: object.createdAt,
      })
      .execute();
    return true;
  });
}

export async function deleteStoreObject(db: Db | Tx, sha256: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.deleteFrom('file_store_objects').where('sha256', '=', sha256).execute();
    await tx.deleteFrom('file_store_chunks').where('sha256', '=', sha256).execute();
  });
}

export async function storeObjectsAfter(
  db: Db,
  after: string,
  limit: number,
): Promise<{ sha256: string; size: number }[]> {
  return db
    .selectFrom('file_store_objects')
    .select(['sha256', 'size'])
    .where('sha256', '>', after)
    .orderBy('sha256')
    .limit(limit)
    .execute();
}
