import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectRowsAsArrays } from '../../src/db/database.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('selectRowsAsArrays', () => {
  it('returns rows as arrays in select order', async () => {
    const rows = await selectRowsAsArrays<[string, string]>(
      t.ctx.db,
      t.ctx.sqlite,
      t.ctx.db.selectFrom('offices').select(['code', 'name']).orderBy('code').limit(2),
    );
    const objects = await t.ctx.db
      .selectFrom('offices')
      .select(['code', 'name'])
      .orderBy('code')
      .limit(2)
      .execute();
    expect(rows).toEqual(objects.map((o) => [o.code, o.name]));
  });

  it("waits for another request's open transaction instead of reading its uncommitted writes", async () => {
    const count = () =>
      selectRowsAsArrays<[number]>(
        t.ctx.db,
        t.ctx.sqlite,
        t.ctx.db.selectFrom('offices').select((eb) => eb.fn.countAll<number>().as('n')),
      );
    const before = (await count())[0]![0];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const open = new Promise<void>((resolve) => (inserted = resolve));
    const writer = t.ctx.db
      .transaction()
      .execute(async (tx) => {
        await tx
          .insertInto('offices')
          .values({
            code: 'TMP.1',
            name: 'Tạm',
            short_name: 'Tạm',
            address: '',
            phone: '',
            parent_id: null,
            valid_from: '2020-01-01',
            created_at: '2026-01-01T00:00:00Z',
          })
          .execute();
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    await open; // the transaction is open, its row written and not committed
    let read: number | null = null;
    const reader = count().then((rows) => (read = rows[0]![0]));
    if (TEST_ENGINE === 'postgres') {
      // Another connection: the read answers while the writer is still open, with committed rows.
      await reader;
      expect(read).toBe(before);
    } else {
      // One connection: the read waits for the transaction. A read that did not wait would be
      // synchronous (better-sqlite3) and answered within a few turns of the event loop.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(read).toBeNull();
    }
    release();
    expect(await writer).toBe('rolled back');
    await reader;
    expect(read).toBe(before); // never saw the rolled-back row
  });
});
