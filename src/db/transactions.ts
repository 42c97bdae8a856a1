import { inTransactionScope, type Db, type Tx } from './database.js';
import { SerializationFailureError } from './errors.js';

const ATTEMPTS = 4;

/**
 * Runs `fn` in the caller's transaction, or in a new one when given the plain database: for
 * writes that must not interleave with another (appending to a hash chain reads the last link).
 */
export async function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Tx) : transactionWithRetry(db as Db, fn);
}

/**
 * A transaction that is run again (a few times, after a short random pause) when the engine
 * reports a serialization failure or a deadlock, which PostgreSQL asks the client to retry;
 * SQLite never reports one (it has one writer). `fn` must be safe to run twice: it is, since
 * everything it wrote the first time was rolled back.
 */
export async function transactionWithRetry<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((tx) => inTransactionScope(db, () => fn(tx)));
    } catch (err) {
      if (!(err instanceof SerializationFailureError) || attempt >= ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
