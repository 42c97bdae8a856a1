import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { freshDatabase as freshDatabaseFor } from '../support/fresh-database.js';
import { PAYMENT_ENV, receiveFeeDossier, signedCallback } from '../support/payments.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { createTestContext, TEST_ENGINE } from '../support/test-app.js';

/**
 * Receipt numbers across real server processes on one database: 16 fees paid at once (cash at
 * the counters and bank callbacks, each callback delivered to two servers) get the numbers
 * 1…16 of the office's year, no gap and no duplicate. Two servers on PostgreSQL, one on SQLite
 * (one writer: a second process would only queue on the file lock).
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function servers(database: string, n: number): Promise<ServerProcess[]> {
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      spawnServer(database, { NOTIFY_SENDER: 'off', ...PAYMENT_ENV }),
    ),
  );
  for (const s of started)
    cleanups.push(async () => {
      s.child.kill('SIGTERM');
      await s.exited;
    });
  return started;
}

describe('receipt numbers across processes', () => {
  it('16 parallel payments get consecutive numbers without gaps or duplicates', async () => {
    const database = await freshDatabaseFor(cleanups, 'motcua-payments');
    const ctx = createTestContext(database);
    cleanups.push(() => ctx.destroy());
    const codes: string[] = [];
    for (let i = 0; i < 16; i++)
      codes.push(await receiveFeeDossier(ctx, { personal_id: `0350900${String(10000 + i)}` }));
    const token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'counter', null);
    const started = await servers(database, TEST_ENGINE === 'postgres' ? 2 : 1);
    const base = (i: number) => started[i % started.length]!.baseUrl;

    const cash = codes.slice(0, 12).map((code, i) =>
      fetch(`${base(i)}/api/v1/dossiers/${encodeURIComponent(code)}/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 20000 }),
      }),
    );
    // Each bank callback reaches two servers at once (a retry racing the first delivery).
    const callbacks = codes.slice(12).flatMap((code, i) => {
      const c = signedCallback(
        { transaction_id: `FT-${i}`, amount: 20000, reference: code },
        new Date(),
      );
      return [0, 1].map((k) =>
        fetch(`${base(i + k)}/api/v1/payments/callback/bank`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-timestamp': c.timestamp,
            'x-signature': c.signature,
          },
          body: c.body,
        }),
      );
    });
    const answers = await Promise.all([...cash, ...callbacks]);
    const bodies = await Promise.all(answers.map((r) => r.json() as Promise<Record<string, any>>));
    expect(answers.slice(0, 12).map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(answers.slice(12).map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(bodies.slice(12).filter((b) => b.duplicate === false)).toHaveLength(4);
    expect(bodies.slice(12).every((b) => b.outcome === 'paid')).toBe(true);

    const receipts = await ctx.db
      .selectFrom('receipts')
      .select(['number', 'dossier_id', 'state'])
      .orderBy('number')
      .execute();
    expect(receipts.map((r) => r.number)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(new Set(receipts.map((r) => r.dossier_id)).size).toBe(16);
    const sequence = await ctx.db.selectFrom('receipt_sequences').selectAll().execute();
    expect(sequence).toEqual([expect.objectContaining({ last_number: 16 })]);
    const paid = await ctx.db
      .selectFrom('payments')
      .select('id')
      .where('state', '=', 'paid')
      .execute();
    expect(paid).toHaveLength(16);
  }, 120_000);
});
