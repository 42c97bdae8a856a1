/**
 * Where a scenario's time goes: runs the bench server under `node --cpu-prof`, drives one
 * scenario with autocannon, and prints the server's self time by package or source folder and
 * its busiest functions (the .cpuprofile is kept under bench/data/profiles for Chrome DevTools).
 *
 *   npx tsc -p tsconfig.bench.json && npx tsx bench/profile.ts lookup [--seconds 10] [--connections 32]
 *
 * Scenarios: see bench/scenarios.ts. The database is
 * the quick run's copy (bench/data/quick-run.db, made by `npm run bench -- --quick`) unless
 * BENCH_DB names another.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { intakeTokens, readBenchData } from './fixtures.js';
import { benchEnv, cpuMs } from './harness.js';
import { createQueueOffice } from './queue.js';
import { SCENARIOS, scenarioOptions, startServer, type Scenario } from './scenarios.js';
import { summarise } from './cpu-profile.js';

const [scenario = 'lookup', ...rest] = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};
const seconds = option('seconds', 10);
const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/quick-run.db');
const DIR = path.resolve('bench/data/profiles');

async function main() {
  const env = benchEnv(FILE);
  const data = readBenchData(FILE, 365);
  const queueOffice = scenario === 'ticket' ? createQueueOffice(FILE, 'profile') : null;
  const tokens = scenario === 'intake' ? intakeTokens(FILE, `profile${Date.now()}`) : null;
  fs.mkdirSync(DIR, { recursive: true });
  const before = new Set(fs.readdirSync(DIR));
  const server = await startServer('dist/bench/server.js', env, [
    '--cpu-prof',
    `--cpu-prof-dir=${DIR}`,
  ]);
  const pid = server.child.pid!;
  const scenarios = await scenarioOptions(
    server.base,
    data,
    env,
    queueOffice,
    option('connections', 0) || undefined,
    tokens,
  );
  const make = scenarios[scenario as Scenario];
  if (!make) {
    server.child.kill('SIGTERM'); // or it outlives this process
    throw new Error(`unknown scenario ${scenario}: ${SCENARIOS.join(', ')}`);
  }
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({ duration: seconds, ...make() });
  const cpu = cpuMs(pid) - cpuBefore;
  console.log(
    `${scenario}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} errors; server CPU ${Math.round((cpu * 1000) / Math.max(1, result.requests.total))} µs per request`,
  );
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  const written = fs.readdirSync(DIR).filter((f) => !before.has(f) && f.endsWith('.cpuprofile'));
  for (const f of written) {
    console.log(`\nprofile: ${path.join(DIR, f)}`);
    summarise(path.join(DIR, f));
  }
}

await main();
