/**
 * SQLite and PostgreSQL side by side: the benchmark database loaded into PostgreSQL (bench/postgres.ts),
 * then the lookup, intake, board and report scenarios against one and two server processes on it.
 * SQLite's figures are the ones bench/run.ts measured in the same run.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type autocannon from 'autocannon';
import pg from 'pg';
import { BENCH_PG_POOL, loadIntoPostgres, type PostgresLoad } from './postgres.js';
import type { BenchServer, Row } from './harness.js';

interface Deps {
  /** The SQLite file the run measured (loaded into PostgreSQL). */
  file: string;
  rows: Row[];
  codes: string[];
  procedureDocs: string[];
  districtId: number;
  intakeBody: string;
  login(base: string, username: string): Promise<string>;
  load(name: string, opts: autocannon.Options, pid: number, compare: boolean): Promise<Row>;
  startBenchServer(extraEnv?: Record<string, string>): Promise<BenchServer>;
  stop(child: ChildProcess): Promise<void>;
  pick(): string;
}

export interface EngineScenario {
  name: string;
  sqlite?: Row;
  pg1?: Row;
  pg2?: Row;
}

/** Offices, officers and API tokens to file intakes into (a 4-digit daily sequence holds 9,999 per office). */
export async function intakeTokens(url: string, label: string, offices = 8): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const stamp = `${Date.now()}.${label}`;
  const template = (
    await client.query("select password_hash from accounts where username = 'canbo'")
  ).rows[0] as { password_hash: string };
  const tokens: string[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < offices; i++) {
    const office = await client.query(
      "insert into offices (code, name, short_name, address, phone, parent_id, valid_from, created_at) values ($1, $2, 'Bench', '', '', null, '2020-01-01', $3) returning id",
      [`BENCH.${stamp}.${i}`, `Bench ${stamp} ${i}`, now],
    );
    const account = await client.query(
      "insert into accounts (username, full_name, role, office_id, password_hash, failed_logins, active, created_at, updated_at) values ($1, 'Cán bộ thử tải', 'officer', $2, $3, 0, 1, $4, $4) returning id",
      [`bench.${stamp}.${i}`, office.rows[0].id, template.password_hash, now],
    );
    const token = `mc_${randomBytes(24).toString('base64url')}`;
    await client.query(
      "insert into api_tokens (account_id, name, token_hash, created_at) values ($1, 'bench', $2, $3)",
      [account.rows[0].id, createHash('sha256').update(token).digest('hex'), now],
    );
    tokens.push(token);
  }
  await client.end();
  return tokens;
}

/** Two autocannon runs at once, one per server: their requests per second add up; the worse p99 counts. */
async function both(
  deps: Deps,
  name: string,
  make: (base: string, half: number) => autocannon.Options,
  servers: { child: ChildProcess; base: string }[],
  connections: number,
): Promise<Row> {
  const results = await Promise.all(
    servers.map((s) =>
      deps.load(
        name,
        make(s.base, Math.max(1, Math.round(connections / servers.length))),
        s.child.pid!,
        false,
      ),
    ),
  );
  return {
    name,
    connections,
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    ratio: null,
    baselineRps: null,
    cpuUs: null,
    baselineCpuUs: null,
    rssMb: Math.max(...results.map((r) => r.rssMb)),
    warmUp: results[0]?.warmUp
      ? {
          seconds: results[0].warmUp.seconds,
          rps: results.reduce((sum, r) => sum + (r.warmUp?.rps ?? 0), 0),
          p99: Math.max(...results.map((r) => r.warmUp?.p99 ?? 0)),
        }
      : null,
  };
}

export async function benchPostgres(
  deps: Deps,
): Promise<{ load: PostgresLoad; version: string; scenarios: EngineScenario[] }> {
  const loaded = await loadIntoPostgres(deps.file);
  try {
    const probe = new pg.Client({ connectionString: loaded.url });
    await probe.connect();
    const version = String((await probe.query('show server_version')).rows[0].server_version);
    await probe.end();
    const env = { DATABASE_URL: loaded.url, DATABASE_POOL_SIZE: BENCH_PG_POOL };
    const sqliteRow = (prefix: string) => deps.rows.find((r) => r.name.startsWith(prefix));

    const lookup = (base: string, connections: number): autocannon.Options => ({
      url: base,
      connections,
      requests: [
        {
          setupRequest: (r) => ({
            ...r,
            path: `/api/v1/lookup?code=${encodeURIComponent(deps.pick())}&key=BENCH7`,
          }),
        },
      ],
    });
    const page = (base: string, connections: number): autocannon.Options => ({
      url: base,
      connections,
      requests: [
        {
          setupRequest: (r) => ({
            ...r,
            path: `/tra-cuu?ma=${encodeURIComponent(deps.pick())}&khoa=BENCH7`,
          }),
        },
      ],
    });
    const intake = (tokens: string[]) => {
      let next = 0;
      return (base: string, connections: number): autocannon.Options => ({
        url: `${base}/api/v1/dossiers`,
        connections,
        requests: [
          {
            setupRequest: (r) => ({
              ...r,
              method: 'POST',
              path: '/api/v1/dossiers',
              body: deps.intakeBody,
              headers: {
                authorization: `Bearer ${tokens[next++ % tokens.length]}`,
                'content-type': 'application/json',
              },
            }),
          },
        ],
      });
    };
    const tokens1 = await intakeTokens(loaded.url, 'pg1');
    const tokens2 = await intakeTokens(loaded.url, 'pg2');

    // One process.
    const one = await deps.startBenchServer(env);
    const officer = await deps.login(one.base, 'canbo');
    const supervisor = await deps.login(one.base, 'lanhdao');
    const pid = one.child.pid!;
    const pg1 = {
      lookup: await deps.load('lookup', lookup(one.base, 32), pid, false),
      page: await deps.load('page', page(one.base, 32), pid, false),
      intake: await deps.load('intake', intake(tokens1)(one.base, 32), pid, false),
      board: await deps.load(
        'board',
        { url: `${one.base}/ho-so/hom-nay`, connections: 1, headers: { cookie: officer } },
        pid,
        false,
      ),
      report: await deps.load(
        'report',
        {
          url: `${one.base}/bao-cao?period=month`,
          connections: 1,
          timeout: 60,
          headers: { cookie: supervisor },
        },
        pid,
        false,
      ),
      reportOne: await deps.load(
        'report one',
        {
          url: `${one.base}/bao-cao?period=month&office=${deps.districtId}`,
          connections: 1,
          timeout: 60,
          headers: { cookie: supervisor },
        },
        pid,
        false,
      ),
    };
    await deps.stop(one.child);

    // Two processes on the same database.
    const servers = [await deps.startBenchServer(env), await deps.startBenchServer(env)];
    const pg2 = {
      lookup: await both(deps, 'lookup', lookup, servers, 32),
      page: await both(deps, 'page', page, servers, 32),
      intake: await both(deps, 'intake', intake(tokens2), servers, 32),
    };
    for (const s of servers) await deps.stop(s.child);

    return {
      load: loaded,
      version,
      scenarios: [
        {
          name: '(b) lookup JSON /api/v1/lookup, 32 connections',
          sqlite: sqliteRow('(b) lookup'),
          pg1: pg1.lookup,
          pg2: pg2.lookup,
        },
        {
          name: '(c) citizen page /tra-cuu, 32 connections',
          sqlite: sqliteRow('(c) citizen'),
          pg1: pg1.page,
          pg2: pg2.page,
        },
        {
          name: '(d) intake POST /api/v1/dossiers, 32 connections',
          sqlite: sqliteRow('(d) intake POST'),
          pg1: pg1.intake,
          pg2: pg2.intake,
        },
        {
          name: '(e) counter board, alone',
          sqlite: sqliteRow('(e) counter board, alone'),
          pg1: pg1.board,
        },
        {
          name: '(f) month report (20 offices), alone',
          sqlite: sqliteRow('(f) month report (20 offices), alone'),
          pg1: pg1.report,
        },
        {
          name: '(f) month report (one office), alone',
          sqlite: sqliteRow('(f) month report (one office), alone'),
          pg1: pg1.reportOne,
        },
      ],
    };
  } finally {
    loaded.cluster.remove();
  }
}
