/**
 * Fee payments against a real server (`npx tsx bench/payments.ts [sqlite|postgres] [servers]`):
 * N fee-bearing dossiers, then cash payments one after another (latency of the payment's
 * transaction: payment row, event, receipt number, receipt) and signed bank callbacks 16 at a
 * time (throughput, one receipt sequence row for the office). Prints p50 / p95 and payments per
 * second; checks the receipt numbers are 1…N without a gap. Small and self-contained: not part of
 * `npm run bench` (which builds a database of a million dossiers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueApiToken } from '../src/accounts/accounts.service.js';
import { createDb, openSqlite } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase } from '../seeds/index.js';
import { accountNamed } from '../test/support/factories.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { PAYMENT_ENV, receiveFeeDossier, signedCallback } from '../test/support/payments.js';
import { spawnServer } from '../test/support/server-process.js';
import { createTestContext } from '../test/support/test-app.js';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const serverCount = Number(process.argv[3] ?? 1);
const N = 200;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  let database: string;
  let stopCluster = () => {};
  if (engine === 'postgres') {
    const cluster = await startPgCluster();
    stopCluster = () => cluster.remove();
    database = cluster.url;
    const ctx = createTestContext(database);
    await migrateToLatest(ctx.db);
    await seedDatabase(ctx.db, { now: new Date(), demoAccounts: true });
    await ctx.destroy();
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-payments-'));
    database = path.join(dir, 'bench.db');
    const db = createDb(openSqlite(database));
    await migrateToLatest(db);
    await seedDatabase(db, { now: new Date(), demoAccounts: true });
    await db.destroy();
  }
  const ctx = createTestContext(database);
  const codes: string[] = [];
  for (let i = 0; i < 2 * N; i++)
    codes.push(await receiveFeeDossier(ctx, { personal_id: `0350900${String(10000 + i)}` }));
  const token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'bench', null);
  const servers = await Promise.all(
    Array.from({ length: serverCount }, () =>
      spawnServer(database, { NOTIFY_SENDER: 'off', ...PAYMENT_ENV }),
    ),
  );
  const base = (i: number) => servers[i % servers.length]!.baseUrl;
  try {
    const cash: number[] = [];
    for (let i = 0; i < N; i++) {
      const started = performance.now();
      const res = await fetch(
        `${base(i)}/api/v1/dossiers/${encodeURIComponent(codes[i]!)}/payments`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 20000 }),
        },
      );
      await res.text();
      if (res.status !== 201) throw new Error(`cash answered ${res.status}`);
      cash.push(performance.now() - started);
    }
    const callbacks: number[] = [];
    const queue = codes.slice(N);
    const startedAll = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        for (let code = queue.shift(); code; code = queue.shift()) {
          const c = signedCallback(
            { transaction_id: `BENCH-${code}`, amount: 20000, reference: code },
            new Date(),
          );
          const started = performance.now();
          const res = await fetch(`${base(worker)}/api/v1/payments/callback/bank`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-timestamp': c.timestamp,
              'x-signature': c.signature,
            },
            body: c.body,
          });
          const body = (await res.json()) as { outcome?: string };
          if (body.outcome !== 'paid') throw new Error(`callback answered ${JSON.stringify(body)}`);
          callbacks.push(performance.now() - started);
        }
      }),
    );
    const elapsed = (performance.now() - startedAll) / 1000;
    const numbers = (
      await ctx.db.selectFrom('receipts').select('number').orderBy('number').execute()
    ).map((r) => r.number);
    const gapless = numbers.every((n, i) => n === i + 1) && numbers.length === 2 * N;
    cash.sort((a, b) => a - b);
    callbacks.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        engine,
        servers: serverCount,
        cash_sequential: {
          n: N,
          p50_ms: +pct(cash, 50).toFixed(1),
          p95_ms: +pct(cash, 95).toFixed(1),
        },
        callbacks_16_parallel: {
          n: N,
          per_second: Math.round(N / elapsed),
          p50_ms: +pct(callbacks, 50).toFixed(1),
          p95_ms: +pct(callbacks, 95).toFixed(1),
        },
        receipts_gapless: gapless,
      }),
    );
  } finally {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await ctx.destroy();
    stopCluster();
  }
}

await main();
