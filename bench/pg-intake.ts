/**
 * Where the PostgreSQL intake's time goes: loads a benchmark database into a throwaway cluster
 * (bench/postgres.ts), starts one or more bench servers on it (optionally under `node
 * --cpu-prof`), drives intakes through the API across 8 new offices and, meanwhile, samples
 * what the cluster's backends wait for (`pg_stat_activity`, every 20 ms). It prints the rate,
 * p50 and p99, the CPU per intake of the Node.js processes and of PostgreSQL's, the wait events
 * and, with --profile, the servers' busiest places and functions.
 *
 *   npx tsc -p tsconfig.bench.json && npx tsx bench/pg-intake.ts [--processes 2] [--seconds 10]
 *     [--connections 32] [--rounds 1] [--profile] [--socket]
 *
 * The database is the quick run's copy (bench/data/quick-run.db) unless BENCH_DB names another.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { summarise } from './cpu-profile.js';
import { intakeTokens } from './engines.js';
import { readBenchData } from './fixtures.js';
import { benchEnv, cpuMs } from './harness.js';
import { BENCH_PG_POOL, loadIntoPostgres } from './postgres.js';
import { intakeBodyOf, intakeLoad, startServer } from './scenarios.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const PROCESSES = option('processes', 2);
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 32);
const ROUNDS = option('rounds', 1);
const PROFILE = args.includes('--profile');
/** The servers connect through the cluster's Unix socket instead of TCP on loopback. */
const SOCKET = args.includes('--socket');
const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/quick-run.db');
const DIR = path.resolve('bench/data/profiles');

/** The CPU milliseconds of every process of the cluster (the postmaster's children and itself). */
function clusterCpuMs(dataDir: string): number {
  const postmaster = Number(
    fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = cpuMs(postmaster);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === postmaster) total += cpuMs(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

async function main() {
  const data = readBenchData(FILE, 365);
  const loaded = await loadIntoPostgres(FILE);
  let sampler = new pg.Client({ connectionString: loaded.url });
  try {
    await sampler.connect();
    // Statement and function times (pg_stat_statements needs a restart to be loaded).
    await sampler.query("alter system set shared_preload_libraries = 'pg_stat_statements'");
    await sampler.query("alter system set track_functions = 'pl'");
    await sampler.end();
    loaded.cluster.stopServer();
    loaded.cluster.startServer();
    sampler = new pg.Client({ connectionString: loaded.url });
    await sampler.connect();
    await sampler.query('create extension if not exists pg_stat_statements');
    const url = new URL(loaded.url);
    if (SOCKET) url.searchParams.set('host', path.dirname(loaded.cluster.dataDir));
    const env = {
      ...benchEnv(FILE),
      DATABASE_URL: url.toString(),
      DATABASE_POOL_SIZE: BENCH_PG_POOL,
    };
    console.log(`servers connect to ${env.DATABASE_URL}`);
    fs.mkdirSync(DIR, { recursive: true });
    const before = new Set(fs.readdirSync(DIR));
    const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${DIR}`] : [];
    const servers = [];
    for (let i = 0; i < PROCESSES; i++)
      servers.push(await startServer('dist/bench/server.js', env, nodeArgs));
    const body = intakeBodyOf(data);
    for (let round = 1; round <= ROUNDS; round++) {
      const tokens = await intakeTokens(loaded.url, `probe${round}`);
      // The servers learn of offices made meanwhile within their master data's 5 s.
      await new Promise((r) => setTimeout(r, 5_500));
      const waits = new Map<string, number>();
      let samples = 0;
      let sampling = true;
      const sampling$ = (async () => {
        while (sampling) {
          const { rows } = await sampler.query<{ wait: string; query: string }>(
            `select coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait,
                    left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as query
               from pg_stat_activity
              where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
          );
          samples++;
          for (const r of rows) {
            const key = `${r.wait.padEnd(28)} ${r.query}`;
            waits.set(key, (waits.get(key) ?? 0) + 1);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await sampler.query(
        "select pg_stat_statements_reset(), pg_stat_reset(), pg_stat_reset_shared('wal')",
      );
      const nodeBefore = servers.map((s) => cpuMs(s.child.pid!));
      const pgBefore = clusterCpuMs(loaded.cluster.dataDir);
      const per = Math.max(1, Math.round(CONNECTIONS / PROCESSES));
      const results = await Promise.all(
        servers.map((s) =>
          autocannon({ duration: SECONDS, ...intakeLoad(s.base, tokens, body, per) }),
        ),
      );
      const nodeCpu = servers.reduce((sum, s, i) => sum + cpuMs(s.child.pid!) - nodeBefore[i]!, 0);
      const pgCpu = clusterCpuMs(loaded.cluster.dataDir) - pgBefore;
      sampling = false;
      await sampling$;
      const total = results.reduce((sum, r) => sum + r.requests.total, 0);
      const rate = results.reduce((sum, r) => sum + r.requests.average, 0);
      const errors = results.reduce((sum, r) => sum + r.errors + r.non2xx + r.timeouts, 0);
      console.log(
        `round ${round}: ${PROCESSES} process(es), ${CONNECTIONS} connections: ${Math.round(rate)} intakes/s, p50 ${Math.max(...results.map((r) => r.latency.p50))} ms, p99 ${Math.max(...results.map((r) => r.latency.p99))} ms, ${errors} errors; CPU per intake: Node.js ${Math.round((nodeCpu * 1000) / total)} µs, PostgreSQL ${Math.round((pgCpu * 1000) / total)} µs`,
      );
      console.log(`backends active per sample (${samples} samples), by wait and statement:`);
      for (const [k, n] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`${(n / samples).toFixed(2).padStart(7)}  ${k}`);
      for (const r of results)
        if (r.non2xx > 0) console.log('answers by status:', JSON.stringify(r.statusCodeStats));
      const statements = await sampler.query<{ us: number; calls: number; query: string }>(
        `select round((total_exec_time / $1)::numeric * 1000) as us, calls,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
           from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
          order by total_exec_time desc limit 15`,
        [total],
      );
      // What the commits flush: WAL per intake, and how much of it is full-page images.
      const wal = await sampler.query<{
        records: string;
        fpi: string;
        bytes: string;
        writes: string;
        syncs: string;
      }>(
        'select wal_records as records, wal_fpi as fpi, wal_bytes as bytes, wal_write as writes, wal_sync as syncs from pg_stat_wal',
      );
      const w = wal.rows[0]!;
      const perIntake = (v: string) => (Number(v) / total).toFixed(1);
      console.log(
        `WAL per intake: ${perIntake(w.records)} records, ${perIntake(w.fpi)} full-page images, ${Math.round(Number(w.bytes) / total)} bytes; ${perIntake(w.syncs)} syncs and ${perIntake(w.writes)} writes`,
      );
      console.log('statements by execution time per intake (µs, calls):');
      for (const r of statements.rows)
        console.log(`${String(r.us).padStart(7)} ${String(r.calls).padStart(7)}  ${r.query}`);
      const functions = await sampler.query<{
        self: number;
        total: number;
        calls: number;
        name: string;
      }>(
        `select round((self_time / $1)::numeric * 1000) as self, round((total_time / $1)::numeric * 1000) as total, calls, funcname as name
           from pg_stat_user_functions order by self_time desc limit 12`,
        [total],
      );
      console.log('functions (triggers) per intake (µs self / total, calls):');
      for (const r of functions.rows)
        console.log(
          `${String(r.self).padStart(7)} ${String(r.total).padStart(7)} ${String(r.calls).padStart(7)}  ${r.name}`,
        );
    }
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    if (PROFILE)
      for (const f of fs
        .readdirSync(DIR)
        .filter((f) => !before.has(f) && f.endsWith('.cpuprofile'))) {
        console.log(`\nprofile: ${path.join(DIR, f)}`);
        summarise(path.join(DIR, f), 30);
      }
  } finally {
    await sampler.end().catch(() => undefined);
    loaded.cluster.remove();
  }
}

await main();
