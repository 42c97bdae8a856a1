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

const [scenario = 'lookup', ...rest] = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};
const seconds = option('seconds', 10);
const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/quick-run.db');
const DIR = path.resolve('bench/data/profiles');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Where a function lives: a package, a folder of ours, Node.js itself, or V8's own work. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  return ours ? ours[1]! : url;
}

function summarise(file: string, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.entries()]
    .filter(([id]) => byId.get(id)!.callFrame.functionName !== '(idle)')
    .reduce((sum, [, t]) => sum + t, 0);
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + t);
    const key = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
  }
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (share of the busy CPU time, ${(total / 1e6).toFixed(1)} s)`);
    for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${((100 * t) / total).toFixed(1).padStart(6)} %  ${k}`);
  };
  show('Self time by place', places);
  show('Busiest functions (self time)', functions);
}

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
