import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { createDb, openSqlite } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SerializationFailureError } from '../../src/db/errors.js';
import { countHit, countHitAndFindWindows } from '../../src/db/shared-state.js';
import { transactionWithRetry } from '../../src/db/transactions.js';
import { saveOffice } from '../../src/offices/offices.service.js';
import { FixedClock } from '../../src/lib/clock.js';
import { seedDatabase } from '../../seeds/index.js';
import { accountNamed } from '../support/factories.js';
import { createPostgresTestDatabase, TEST_ENGINE } from '../support/test-app.js';

/**
 * What two app processes on one database must agree on, shown with two app contexts (each with
 * its own pool or handle, cache and limiters, as two processes have) on one database of the
 * engine under test.
 */
let dir: string;
let url: string;
let drop = async () => {};
const processes: AppContext[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-shared-'));
  if (TEST_ENGINE === 'postgres') {
    const database = await createPostgresTestDatabase();
    url = database.url;
    drop = database.drop;
  } else {
    const file = path.join(dir, 'shared.db');
    url = `file:${file}`;
    const db = createDb(openSqlite(file));
    await migrateToLatest(db);
    await seedDatabase(db, { now: new Date('2026-01-01T00:00:00Z'), demoAccounts: true });
    await db.destroy();
  }
});
afterEach(async () => {
  for (const ctx of processes.splice(0)) await ctx.destroy();
  await drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function processOn(env: Record<string, string> = {}): { ctx: AppContext; app: Express } {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    SESSION_SECRET: 'x'.repeat(32),
    SHARED_STATE: 'database',
    ...env,
  });
  const ctx = createAppContext(config, {
    clock: new FixedClock('2026-03-10T02:00:00Z'),
    logger: pino({ level: 'silent' }),
  });
  processes.push(ctx);
  return { ctx, app: createApp(ctx) };
}

describe('state shared by several processes on one database', () => {
  it('an office renamed in one process is seen by the other within a second (master-data version)', async () => {
    const a = processOn();
    const b = processOn();
    const office = (await b.ctx.masterData.offices()).find((o) => o.code === '000.00.13.H40')!;
    expect(office.name).not.toContain('(đổi tên)');
    const admin = await accountNamed(a.ctx, 'quantri');
    await saveOffice(a.ctx, admin, office.id, {
      ...office,
      name: `${office.name} (đổi tên)`,
      valid_to: office.valid_to ?? '',
      parent_id: office.parent_id ? String(office.parent_id) : '',
    });
    // b's copy is fresh for its TTL, but the version moved on: within VERSION_CHECK_MS it reloads.
    await new Promise((r) => setTimeout(r, 1_100));
    const seen = (await b.ctx.masterData.offices()).find((o) => o.id === office.id)!;
    expect(seen.name).toContain('(đổi tên)');
  });

  it('the citizen lookup flood limit counts both processes together', async () => {
    const a = processOn({ LOOKUP_RATE_LIMIT_PER_MIN: '4' });
    const b = processOn({ LOOKUP_RATE_LIMIT_PER_MIN: '4' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await request(i % 2 ? a.app : b.app)
        .get('/api/v1/lookup')
        .query({ code: '000.00.13.H40-260310-0001', key: 'ABCD2345' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 4).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429]);
  });

  it('wrong lookups of one client are counted across processes, and no client address is stored', async () => {
    const a = processOn({ LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '3' });
    const b = processOn({ LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(i % 2 ? a.app : b.app)
        .get('/api/v1/lookup')
        .query({ code: '000.00.13.H40-260310-0001', key: `WRONG00${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const stored = await a.ctx.db
      .selectFrom('rate_limit_windows')
      .select(['bucket', 'key_hash'])
      .execute();
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toMatch(/127\.0\.0\.1|::ffff|::1/);
  });
});

describe("countHitAndFindWindows (the lookup's one pass over its limits)", () => {
  it('counts the hit and reads the other open windows in one call; an ended window reads as none', async () => {
    const { ctx } = processOn();
    const db = ctx.stateDb;
    const now = Date.parse('2026-03-10T02:00:00Z');
    await countHit(db, 'misses', 'client-a', now - 10_000, 3_600_000);
    await countHit(db, 'misses', 'client-a', now - 5_000, 3_600_000);
    await countHit(db, 'pairs', 'client-a:code', now - 120_000, 60_000); // ended a minute ago
    const hit = { bucket: 'flood', keyHash: 'client-a', windowMs: 60_000 };
    const peeks = [
      { bucket: 'misses', keyHash: 'client-a' },
      { bucket: 'pairs', keyHash: 'client-a:code' },
      { bucket: 'misses', keyHash: 'client-b' },
    ];
    const first = await countHitAndFindWindows(db, hit, peeks, now);
    expect(first).toEqual({
      hit: { hits: 1, resetsAt: now + 60_000 },
      peeked: [{ hits: 2, resetsAt: now - 10_000 + 3_600_000 }, undefined, undefined],
    });
    const second = await countHitAndFindWindows(db, hit, peeks, now + 1_000);
    expect(second.hit).toEqual({ hits: 2, resetsAt: now + 60_000 });
    // The flood window ends: the next hit opens a new one.
    const later = await countHitAndFindWindows(db, hit, [], now + 60_000);
    expect(later.hit).toEqual({ hits: 1, resetsAt: now + 120_000 });
  });
});

describe('transactionWithRetry', () => {
  it('runs a transaction again when the engine reports a serialization failure, and commits it once', async () => {
    const { ctx } = processOn();
    let attempts = 0;
    await transactionWithRetry(ctx.db, async (tx) => {
      attempts += 1;
      await tx
        .insertInto('calendar_rules')
        .values({ name: `retry-${attempts}`, enabled: 1, updated_at: '2026-03-10T02:00:00Z' })
        .execute();
      if (attempts === 1)
        throw new SerializationFailureError('could not serialize access (simulated)');
    });
    expect(attempts).toBe(2);
    const rows = await ctx.db
      .selectFrom('calendar_rules')
      .select('name')
      .where('name', 'like', 'retry-%')
      .execute();
    expect(rows.map((r) => r.name)).toEqual(['retry-2']);
  });

  it('does not retry other errors', async () => {
    const { ctx } = processOn();
    let attempts = 0;
    await expect(
      transactionWithRetry(ctx.db, async () => {
        attempts += 1;
        throw new Error('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect(attempts).toBe(1);
  });
});
