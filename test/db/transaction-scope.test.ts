import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionWaitError,
  createDb,
  openSqlite,
  QueryOutsideTransactionError,
} from '../../src/db/database.js';
import { transactionWithRetry } from '../../src/db/transactions.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * SQLite has one connection, which an open transaction holds: a query on the database itself
 * from inside the transaction's callback used to wait for it forever, and with it every later
 * request of the process (a CI run hung so). It now fails at once; PostgreSQL takes another
 * pooled connection and runs it.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const offices = () => t.ctx.db.selectFrom('offices').select('code').execute();

describe('a query on the database from inside its transaction', () => {
  it('fails at once on SQLite (runs on PostgreSQL), rolls back, and the database stays usable', async () => {
    const before = (await offices()).length;
    const attempt = transactionWithRetry(t.ctx.db, async (tx) => {
      await tx.updateTable('offices').set({ name: 'Đổi tên' }).execute();
      return (await offices()).length;
    });
    if (TEST_ENGINE === 'sqlite') {
      await expect(attempt).rejects.toBeInstanceOf(QueryOutsideTransactionError);
      const names = await t.ctx.db.selectFrom('offices').select('name').execute();
      expect(names.some((o) => o.name === 'Đổi tên')).toBe(false);
    } else {
      expect(await attempt).toBe(before);
    }
    expect((await offices()).length).toBe(before);
  });

  it('lets work the callback started run once the transaction ended, and other requests meanwhile', async () => {
    let later!: Promise<number>;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writer = transactionWithRetry(t.ctx.db, async (tx) => {
      // Started inside, waits for the end of the transaction, then queries the database.
      later = writer.then(async () => (await offices()).length);
      await tx.selectFrom('offices').select('code').execute();
      await held;
      return 1;
    });
    // Another request (not started from the callback) is not refused: it waits its turn.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const meanwhile = offices().then((rows) => rows.length);
    release();
    await writer;
    expect(await later).toBeGreaterThan(0);
    expect(await meanwhile).toBe(await later);
  });
});

describe.runIf(TEST_ENGINE === 'sqlite')('in production (no guard): the watchdog', () => {
  it('fails a wait for the connection past its time, and the transaction gives it back', async () => {
    const db = createDb(openSqlite(':memory:'), {
      guardTransactions: false,
      acquireTimeoutMs: 300,
    });
    try {
      await db.schema.createTable('t').addColumn('n', 'integer').execute();
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('t' as never)
              .select((eb) => eb.fn.countAll().as('c'))
              .executeTakeFirstOrThrow()
          ).c,
        );
      const started = Date.now();
      const attempt = transactionWithRetry(db, async (tx) => {
        await tx
          .insertInto('t' as never)
          .values({ n: 1 } as never)
          .execute();
        return count();
      });
      await expect(attempt).rejects.toBeInstanceOf(ConnectionWaitError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // Rolled back, and the connection serves the next query (and the ones after it).
      expect(await count()).toBe(0);
      expect(await Promise.all([count(), count(), count()])).toEqual([0, 0, 0]);
    } finally {
      await db.destroy();
    }
  });
});
