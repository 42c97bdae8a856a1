import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/context.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { seedDatabase } from '../../seeds/index.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import {
  loadIntakes,
  postIntake as postIntakeTo,
  startIntakeLoad,
  type IntakeClient,
} from '../support/intake-load.js';
import { spawnServer } from '../support/server-process.js';
import { createPostgresTestDatabase, createTestContext, TEST_ENGINE } from '../support/test-app.js';
import { until } from '../support/wait.js';
import { nodeArgs } from '../support/js-build.js';

/**
 * Crash and fault tests of the PostgreSQL engine against real server processes on loopback:
 * killed app processes, two and more processes on one database, and the database server itself
 * restarting under load. Run by the PostgreSQL project only.
 */
const run = promisify(execFile);
let databaseUrl: string;
let drop: () => Promise<void>;
let token: string;
let intakeBody: Record<string, unknown>;

/** A token and an intake for the load; `migrate`: the database is empty (a cluster of its own). */
async function prepare(url: string, { migrate = false } = {}): Promise<void> {
  const ctx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }), {
    logger: pino({ level: 'silent' }),
  });
  if (migrate) {
    await migrateToLatest(ctx.db);
    await seedDatabase(ctx.db, { now: new Date(), demoAccounts: true });
  }
  token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'durability', null);
  intakeBody = await validIntake(ctx, { documents: await documentIds(ctx, '2.000200') });
  await ctx.destroy();
}

const client = (): IntakeClient => ({ token, body: intakeBody });
const postIntake = (baseUrl: string) => postIntakeTo(baseUrl, client());
const load = (baseUrls: string[], workers: number, max: number, stop: () => boolean) =>
  loadIntakes(baseUrls, client(), workers, max, stop);

async function inspect(url: string) {
  const ctx = createTestContext(url);
  const codes = (
    await ctx.db.selectFrom('dossiers').select('code').where('code', 'is not', null).execute()
  ).map((r) => r.code!);
  const withoutEvents = await ctx.db
    .selectFrom('dossiers as d')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('dossier_events as e').select('e.id').whereRef('e.dossier_id', '=', 'd.id'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  await ctx.destroy();
  return { codes, withoutEvents: withoutEvents.n };
}

describe.runIf(TEST_ENGINE === 'postgres')('PostgreSQL under faults', () => {
  beforeEach(async () => {
    const database = await createPostgresTestDatabase();
    databaseUrl = database.url;
    drop = database.drop;
    await prepare(databaseUrl);
  });
  afterEach(() => drop());

  it('an app process killed with SIGKILL mid-intake loses no acknowledged dossier', async () => {
    const server = await spawnServer(databaseUrl);
    let killed = false;
    const loading = startIntakeLoad([server.baseUrl], client(), 8, 3000, () => killed);
    // Killed in the middle of the load: some intakes acknowledged, eight more in flight.
    await until(() => loading.acknowledged.length >= 30, '30 acknowledged intakes');
    server.child.kill('SIGKILL');
    killed = true;
    expect(await server.exited).toBe('SIGKILL');
    await loading.done;
    const { acknowledged } = loading;
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);

    const restarted = await spawnServer(databaseUrl);
    expect((await postIntake(restarted.baseUrl)).status).toBe(201);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const state = await inspect(databaseUrl);
    for (const code of acknowledged) expect(state.codes).toContain(code);
    expect(new Set(state.codes).size).toBe(state.codes.length);
    expect(state.withoutEvents).toBe(0);
  });

  it('two app processes under concurrent intakes give unique, consecutive codes and no 5xx', async () => {
    const a = await spawnServer(databaseUrl);
    const b = await spawnServer(databaseUrl);
    const { acknowledged, statuses } = await load([a.baseUrl, b.baseUrl], 16, 300, () => false);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expect(new Set(acknowledged).size).toBe(300);
    const state = await inspect(databaseUrl);
    expect(state.codes.sort()).toEqual([...acknowledged].sort());
    expect(state.codes.map((c) => Number(c.slice(-4))).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
  });

  it('WEB_CONCURRENCY=2 runs two workers on one port that share sessions and rate limits', async () => {
    const server = await spawnServer(
      databaseUrl,
      { WEB_CONCURRENCY: '2', LOOKUP_RATE_LIMIT_PER_MIN: '5' },
      2,
    );
    const { statuses } = await load([server.baseUrl], 8, 80, () => false);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    // The kernel hands connections to both workers in turn: a limit of 5 lookups a minute holds
    // for the installation (5 pass, 5 are refused), not 5 per worker.
    const lookups: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(
        `${server.baseUrl}/tra-cuu?ma=000.00.13.H40-260310-0001&khoa=ABCD2345`,
        { headers: { connection: 'close' } },
      );
      lookups.push(res.status);
    }
    expect(lookups.filter((s) => s === 429)).toHaveLength(5);
    // A session opened through one worker is known to the other.
    const loginPage = await fetch(`${server.baseUrl}/dang-nhap`, {
      headers: { connection: 'close' },
    });
    const cookie = loginPage.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
    const login = await fetch(`${server.baseUrl}/dang-nhap`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
      body: new URLSearchParams({
        username: 'canbo',
        password: 'MotCua@2026',
        _csrf: csrf,
      }).toString(),
    });
    expect(login.status).toBe(303);
    const session =
      login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ') || cookie;
    for (let i = 0; i < 4; i++) {
      const page = await fetch(`${server.baseUrl}/ho-so/hom-nay`, {
        redirect: 'manual',
        headers: { cookie: session, connection: 'close' },
      });
      expect(page.status).toBe(200);
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('npm run backup wraps pg_dump and checks the dump while dossiers are being written', async () => {
    const ctx = createTestContext(databaseUrl);
    const officer = await accountNamed(ctx, 'canbo');
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing && n < 300) {
        await receiveDossier(ctx, officer, intakeBody);
        n++;
      }
      return n;
    })();
    await until(() => n >= 5, 'five dossiers written'); // the dump is taken while writes go on
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pgdump-'));
    const target = path.join(dir, 'motcua.dump');
    const { stdout } = await run(process.execPath, [...nodeArgs('src/backup-cli.ts'), target], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    writing = false;
    await writer;
    await ctx.destroy();
    expect(stdout).toContain('with pg_dump');
    expect(fs.statSync(target).size).toBeGreaterThan(10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('npm run audit:verify walks the chains on PostgreSQL', async () => {
    const { stdout } = await run(process.execPath, nodeArgs('src/audit/verify-cli.ts'), {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    expect(stdout).toContain('All chains are intact.');
  });
});

describe.runIf(TEST_ENGINE === 'postgres')('a PostgreSQL server restarting under load', () => {
  let cluster: PgCluster;
  beforeEach(async () => {
    cluster = await startPgCluster({ maxConnections: 50 });
    await prepare(cluster.url, { migrate: true });
  });
  afterEach(() => cluster.remove());

  it('gives clean 503s in Vietnamese while it is down, loses nothing acknowledged, and recovers without restarting the app', async () => {
    const server = await spawnServer(cluster.url);
    let stop = false;
    const loading = startIntakeLoad([server.baseUrl], client(), 6, 100_000, () => stop);
    await until(() => loading.acknowledged.length >= 20, '20 acknowledged intakes');
    cluster.stopServer('fast');
    await until(() => loading.statuses.includes(503), 'the load to be answered 503');
    const down = await postIntake(server.baseUrl);
    expect(down.status).toBe(503);
    expect(down.message).toMatch(/tạm thời|thử lại/i);
    const readiness = await fetch(`${server.baseUrl}/readyz`);
    expect(readiness.status).toBe(503);
    // Alive all the same: an orchestrator must not restart a process for the database's outage.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    cluster.startServer();
    // The pool opens new connections by itself: no restart of the app.
    let after: Awaited<ReturnType<typeof postIntake>> = { status: 0 };
    await until(
      async () => (after = await postIntake(server.baseUrl)).status === 201,
      'an intake accepted after the restart',
      { intervalMs: 250 },
    );
    expect(after.status).toBe(201);
    stop = true;
    await loading.done;
    const { acknowledged, statuses } = loading;
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const state = await inspect(cluster.url);
    for (const code of [...acknowledged, after.code!]) expect(state.codes).toContain(code);
    expect(new Set(state.codes).size).toBe(state.codes.length);
    expect(state.withoutEvents).toBe(0);
  });
});
