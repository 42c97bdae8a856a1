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
            opening_hours: '',
            parent_id: null,
            valid_from: '2020-01-01',
            created_at: '2026-01-01T00:00:00Z',
          })
          .execute();
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    await new Promise((r) => setTimeout(r, 10)); // the transaction is open and waiting
    let read: number | null = null;
    const reader = count().then((rows) => (read = rows[0]![0]));
    await new Promise((r) => setTimeout(r, 20));
    // SQLite: one connection, so the read waits for it; PostgreSQL: the read runs on another
    // connection at once and sees only committed rows.
    expect(read).toBe(TEST_ENGINE === 'postgres' ? before : null);
    release();
    expect(await writer).toBe('rolled back');
    await reader;
    expect(read).toBe(before); // never saw the rolled-back row
  });
});
