import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompiled } from '../../src/db/precompiled.js';
import { inTransaction } from '../../src/db/transactions.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('precompiled queries', () => {
  it('answers as the query built each time, with new values on every call', async () => {
    let builds = 0;
    const officeByCode = precompiled(['code'], (db, p) => {
      builds++;
      return db
        .selectFrom('offices')
        .select(['id', 'code', 'name'])
        .where('code', '=', p.code)
        .where('name', '!=', 'no office is called this'); // a constant parameter, kept
    });
    const offices = await t.ctx.db
      .selectFrom('offices')
      .select(['id', 'code', 'name'])
      .orderBy('id')
      .execute();
    expect(offices.length).toBeGreaterThan(1);
    for (const office of offices)
      expect(await officeByCode(t.ctx.db, { code: office.code })).toEqual([office]);
    expect(await officeByCode(t.ctx.db, { code: 'NO-SUCH-OFFICE' })).toEqual([]);
    expect(builds).toBe(1);
  });

  it("reads a transaction's own writes through the statement compiled outside it", async () => {
    const nameOf = precompiled(['id'], (db, p) =>
      db.selectFrom('offices').select('name').where('id', '=', p.id),
    );
    const office = await t.ctx.db
      .selectFrom('offices')
      .select(['id', 'name'])
      .executeTakeFirstOrThrow();
    expect(await nameOf(t.ctx.db, { id: office.id })).toEqual([{ name: office.name }]);
    const seen = await inTransaction(t.ctx.db, async (tx) => {
      await tx
        .updateTable('offices')
        .set({ name: 'Tên mới' })
        .where('id', '=', office.id)
        .execute();
      return nameOf(tx, { id: office.id });
    });
    expect(seen).toEqual([{ name: 'Tên mới' }]);
  });

  it('refuses a query that does not use one of its named values', async () => {
    const careless = precompiled(['code', 'name'], (db, p) =>
      db.selectFrom('offices').select('id').where('code', '=', p.code),
    );
    await expect(careless(t.ctx.db, { code: 'X', name: 'Y' })).rejects.toThrow(/name/);
  });
});
