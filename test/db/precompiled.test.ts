import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { UniqueViolationError } from '../../src/db/errors.js';
import { precompiled, precompiledInsert } from '../../src/db/precompiled.js';
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

describe('precompiled inserts', () => {
  const insertTokens = precompiledInsert('api_tokens', { returningAll: true });
  const accountId = () =>
    t.ctx.db
      .selectFrom('accounts')
      .select('id')
      .executeTakeFirstOrThrow()
      .then((a) => a.id);
  const stored = (hash: string) =>
    t.ctx.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();

  it('stores and returns the rows as Kysely would, one row or many, defaults where a value is undefined', async () => {
    const account_id = await accountId();
    const at = '2026-12-04T03:00:00.000Z';
    for (let round = 0; round < 3; round++) {
      const [one] = await insertTokens(t.ctx.db, [
        {
          account_id,
          name: `a${round}`,
          token_hash: `h-a${round}`,
          created_at: at,
          scope: 'read',
          expires_at: null,
        },
      ]);
      expect(one).toEqual(await stored(`h-a${round}`));
      expect(one).toMatchObject({ name: `a${round}`, scope: 'read', revoked_at: null });
      // scope left undefined: the column's default, and another shape of the statement
      const many = await insertTokens(t.ctx.db, [
        {
          account_id,
          name: `b${round}`,
          token_hash: `h-b${round}`,
          created_at: at,
          scope: undefined,
          expires_at: null,
        },
        {
          account_id,
          name: `c${round}`,
          token_hash: `h-c${round}`,
          created_at: at,
          scope: undefined,
          expires_at: at,
        },
      ]);
      expect(many).toEqual([await stored(`h-b${round}`), await stored(`h-c${round}`)]);
      expect(many.map((r) => r.scope)).toEqual(['full', 'full']);
      expect(many[1]!.expires_at).toBe(at);
    }
  });

  it('goes through Kysely for rows of differing columns or with an expression, and keeps its errors', async () => {
    const account_id = await accountId();
    const at = '2026-12-04T03:00:00.000Z';
    // Rows of differing columns: Kysely gives the row without expires_at a null.
    const mixed = await insertTokens(t.ctx.db, [
      { account_id, name: 'm1', token_hash: 'h-m1', created_at: at, scope: 'read' },
      { account_id, name: 'm2', token_hash: 'h-m2', created_at: at, scope: 'read', expires_at: at },
    ]);
    expect(mixed.map((r) => [r.name, r.expires_at])).toEqual([
      ['m1', null],
      ['m2', at],
    ]);
    const [upper] = await insertTokens(t.ctx.db, [
      {
        account_id,
        name: sql<string>`upper(${'expr'})` as unknown as string, // an expression, as .values() takes
        token_hash: 'h-x',
        created_at: at,
        expires_at: null,
      },
    ]);
    expect(upper!.name).toBe('EXPR');
    const again = { account_id, name: 'dup', token_hash: 'h-x', created_at: at, expires_at: null };
    await expect(insertTokens(t.ctx.db, [again])).rejects.toBeInstanceOf(UniqueViolationError);
  });
});
