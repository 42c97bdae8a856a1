import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/context.js';
import { backupDatabase } from '../../src/db/backup.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';
import {
  loadIntakes,
  postIntake as postIntakeTo,
  startIntakeLoad,
  type IntakeClient,
} from '../support/intake-load.js';
import { postHeldAtItsBody, spawnServer } from '../support/server-process.js';
import { TEST_ENGINE } from '../support/test-app.js';
import { writeSeededSqliteFile } from '../support/seeded-template.js';
import { until } from '../support/wait.js';

/** These run on SQLite files; test/durability/postgres.test.ts is their PostgreSQL twin. */
const sqliteDescribe = describe.skipIf(TEST_ENGINE === 'postgres');

/**
 * Crash and fault tests against real server processes on loopback. Bounded: a few hundred
 * requests and a few seconds each.
 */
let dir: string;
let file: string;
let token: string;
let intakeBody: Record<string, unknown>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-durability-'));
  file = path.join(dir, 'motcua.db');
  await writeSeededSqliteFile(file);
  const ctx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: `file:${file}` }), {
    logger: pino({ level: 'silent' }),
  });
  token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'durability', null);
  intakeBody = await validIntake(ctx, { documents: await documentIds(ctx, '2.000200') });
  await ctx.destroy();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const client = (): IntakeClient => ({ token, body: intakeBody });
const postIntake = (baseUrl: string) => postIntakeTo(baseUrl, client());
const load = (baseUrls: string[], workers: number, max: number, stop: () => boolean) =>
  loadIntakes(baseUrls, client(), workers, max, stop);

function inspect(databaseFile: string) {
  const db = new SQLite(databaseFile, { readonly: true });
  const integrity = db.pragma('integrity_check', { simple: true });
  const codes = (
    db.prepare('select code from dossiers where code is not null').all() as { code: string }[]
  ).map((r) => r.code);
  const withoutEvents = db
    .prepare(
      'select count(*) as n from dossiers d where not exists (select 1 from dossier_events e where e.dossier_id = d.id)',
    )
    .get() as { n: number };
  db.close();
  return { integrity, codes, withoutEvents: withoutEvents.n };
}

sqliteDescribe('a server killed with SIGKILL in the middle of concurrent intakes', () => {
  it('keeps every dossier it acknowledged, with its events, and a sound database', async () => {
    const server = await spawnServer(file);
    let killed = false;
    const loading = startIntakeLoad([server.baseUrl], client(), 8, 2000, () => killed);
    // Killed in the middle of the load: some intakes acknowledged, eight more in flight.
    await until(() => loading.acknowledged.length >= 30, '30 acknowledged intakes');
    server.child.kill('SIGKILL');
    killed = true;
    expect(await server.exited).toBe('SIGKILL');
    await loading.done;
    const { acknowledged } = loading;
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);

    const restarted = await spawnServer(file);
    const health = await (await fetch(`${restarted.baseUrl}/healthz`)).json();
    expect(health.ok).toBe(true);
    const after = await postIntake(restarted.baseUrl);
    expect(after.status).toBe(201);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);

    const state = inspect(file);
    expect(state.integrity).toBe('ok');
    for (const code of acknowledged) expect(state.codes).toContain(code);
    expect(new Set(state.codes).size).toBe(state.codes.length);
    expect(state.withoutEvents).toBe(0);
  });
});

sqliteDescribe('two server processes on one database file', () => {
  it('give unique codes and no 5xx under concurrent intakes', async () => {
    const a = await spawnServer(file);
    const b = await spawnServer(file);
    const { acknowledged, statuses } = await load([a.baseUrl, b.baseUrl], 12, 240, () => false);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(acknowledged).toHaveLength(240);
    expect(new Set(acknowledged).size).toBe(240);
    const state = inspect(file);
    expect(state.codes.sort()).toEqual([...acknowledged].sort());
    const numbers = state.codes.map((c) => Number(c.slice(-4))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 240 }, (_, i) => i + 1));
  });
});

sqliteDescribe('WEB_CONCURRENCY=2 on one SQLite file (WAL)', () => {
  it('runs two workers on one port with unique, consecutive codes and no 5xx', async () => {
    const server = await spawnServer(file, { WEB_CONCURRENCY: '2' }, 2);
    const { acknowledged, statuses } = await load([server.baseUrl], 12, 200, () => false);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    const state = inspect(file);
    expect(state.integrity).toBe('ok');
    expect(state.codes.sort()).toEqual([...acknowledged].sort());
    expect(state.codes.map((c) => Number(c.slice(-4))).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });
});

sqliteDescribe('graceful shutdown on SIGTERM', () => {
  it('finishes the request in flight, then closes the database and exits 0', async () => {
    const server = await spawnServer(file);
    // The intake is in flight when SIGTERM arrives: the server has taken its headers and waits
    // for its body, which is sent only once the server says it is shutting down.
    const held = await postHeldAtItsBody(`${server.baseUrl}/api/v1/dossiers`, {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    });
    server.child.kill('SIGTERM');
    await server.logged('shutting down: finishing requests in flight');
    const answer = await held.send(JSON.stringify(intakeBody));
    expect(answer.status, answer.body).toBe(201);
    const code = (JSON.parse(answer.body) as { dossier: { code: string } }).dossier.code;
    expect(await server.exited).toBe(0);
    expect(inspect(file).codes).toContain(code);
  });
});

sqliteDescribe('npm run backup', () => {
  it('takes a consistent copy while dossiers are being written', async () => {
    const ctx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: `file:${file}` }), {
      logger: pino({ level: 'silent' }),
    });
    const officer = await accountNamed(ctx, 'canbo');
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing && n < 500) {
        await receiveDossier(ctx, officer, intakeBody);
        n++;
        await new Promise((r) => setImmediate(r));
      }
      return n;
    })();
    await until(() => n >= 5, 'five dossiers written'); // the copy is taken while writes go on
    const source = new SQLite(file);
    const target = path.join(dir, 'backups', 'copy.db');
    const result = await backupDatabase(source, target);
    source.close();
    writing = false;
    const written = await writer;
    await ctx.destroy();
    expect(result.integrity).toBe('ok');
    const copy = inspect(target);
    expect(copy.integrity).toBe('ok');
    expect(copy.codes.length).toBeGreaterThan(0);
    expect(copy.codes.length).toBeLessThanOrEqual(written);
    expect(copy.withoutEvents).toBe(0);
  });
});
