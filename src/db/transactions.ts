import type { Db, Tx } from './database.js';

/**
 * Runs `fn` in the caller's transaction, or in a new one when given the plain database: for
 * writes that must not interleave with another (appending to a hash chain reads the last link).
 */
export async function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn);
}
