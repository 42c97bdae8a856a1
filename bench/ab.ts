/**
 * Before and after in one run: the bench server built from an earlier commit and from the
 * worktree, side by side on copies of the quick database, each scenario alternating between
 * them with the bare-Express baseline measured just before it on the same server. Prints each
 * side's ratios to its baseline (median req/s ratio, and CPU per request against the baseline's,
 * from the least disturbed probes) and the change. What docs/BENCHMARKS.md's before/after rows
 * are measured with.
 *
 *   npx tsx bench/ab.ts <commit | -> [<second commit>] <scenario…> [--rounds 5] [--seconds 3] [--connections N]
 *
 * `-` measures the worktree alone. Scenarios: see bench/scenarios.ts. Needs bench/data/quick.db
 * (`npm run bench -- --quick` makes it), or BENCH_DB naming another (copied for each side).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { intakeTokens, readBenchData } from './fixtures.js';
import { benchEnv, cpuMs, peakRssMb } from './harness.js';
import { createQueueOffice } from './queue.js';
import { SCENARIOS, SINGLE, scenarioOptions, startServer, type Scenario } from './scenarios.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const rounds = option('rounds', 5);
const seconds = option('seconds', 3);
const connections = option('connections', 0) || undefined;
const [before = '-', ...names] = args;
// An optional second commit to measure instead of the worktree: `ab.ts A B lookup`.
const after =
  names[0] && !(SCENARIOS as readonly string[]).includes(names[0]) ? names.shift()! : null;
const scenarios = names.filter((n): n is Scenario => (SCENARIOS as readonly string[]).includes(n));
if (scenarios.length === 0) throw new Error(`name scenarios: ${SCENARIOS.join(', ')}`);
// BENCH_DB names another source database (e.g. the 1,000,000-dossier one, for the reports).
const SOURCE = path.resolve(process.env.BENCH_DB ?? 'bench/data/quick.db');
const WORK = path.resolve('bench/data/ab');

/** A build of `commit` under bench/data/ab/<sha> (made once), sharing this worktree's node_modules. */
function buildOf(commit: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', commit], { encoding: 'utf8' }).trim();
  const dir = path.join(WORK, sha);
  if (!fs.existsSync(path.join(dir, 'dist/bench/server.js'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C ${dir}`]);
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    execFileSync('npx', ['tsc', '-p', 'tsconfig.bench.json'], { cwd: dir, stdio: 'inherit' });
  }
  return dir;
}

function copyDatabase(name: string): string {
  const file = path.join(WORK, `${name}.db`);
  const source = new SQLite(SOURCE);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  fs.copyFileSync(SOURCE, file);
  return file;
}

interface Side {
  name: string;
  server: Awaited<ReturnType<typeof startServer>>;
  options: Awaited<ReturnType<typeof scenarioOptions>>;
  /** Dossiers in a year of the largest office (what the exports write). */
  exportRows: number;
  probes: Record<
    string,
    { ratio: number; cpuUs: number; baselineCpuUs: number; value: number; p99: number }[]
  >;
}

async function side(name: string, dir: string): Promise<Side> {
  const file = copyDatabase(name.replace(/\W/g, '_'));
  const data = readBenchData(file, 365);
  const queueOffice = createQueueOffice(file, `ab-${name}`);
  const tokens = intakeTokens(file, `ab-${name}`);
  const env = benchEnv(file);
  const server = await startServer(path.join(dir, 'dist/bench/server.js'), env, [], dir);
  const options = await scenarioOptions(server.base, data, env, queueOffice, connections, tokens);
  return { name, server, options, probes: {}, exportRows: data.exportRows };
}

async function probe(s: Side, scenario: Scenario) {
  const pid = s.server.child.pid!;
  const measure = async (opts: autocannon.Options) => {
    const cpu = cpuMs(pid);
    const r = await autocannon({ duration: seconds, ...opts });
    return {
      rps: r.requests.average,
      p99: r.latency.p99,
      cpuUs: ((cpuMs(pid) - cpu) * 1000) / r.requests.total,
    };
  };
  const base = await measure(s.options.baseline());
  if (SINGLE.has(scenario)) {
    // One export at a time: rows per second of the whole answer.
    const started = performance.now();
    const res = await fetch(String(s.options[scenario]().url), {
      headers: s.options[scenario]().headers as Record<string, string>,
    });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    const rows = s.exportRows;
    return {
      ratio: rows / (ms / 1000) / base.rps,
      cpuUs: 0,
      baselineCpuUs: base.cpuUs,
      value: ms,
      p99: ms,
    };
  }
  const it = await measure(s.options[scenario]());
  return {
    ratio: it.rps / base.rps,
    cpuUs: it.cpuUs,
    baselineCpuUs: base.cpuUs,
    value: it.rps,
    p99: it.p99,
  };
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  execFileSync('npx', ['tsc', '-p', 'tsconfig.bench.json'], { stdio: 'inherit' });
  const sides = [
    ...(before === '-' ? [] : [await side(`before ${before}`, buildOf(before))]),
    after ? await side(`after ${after}`, buildOf(after)) : await side('worktree', process.cwd()),
  ];
  for (const scenario of scenarios)
    for (let r = 0; r < rounds; r++)
      for (const s of sides) (s.probes[scenario] ??= []).push(await probe(s, scenario));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = (s: Side, scenario: Scenario) => {
    const p = s.probes[scenario]!;
    const cpu = SINGLE.has(scenario)
      ? null
      : Math.min(...p.map((x) => x.baselineCpuUs)) / Math.min(...p.map((x) => x.cpuUs));
    return {
      ratio: median(p.map((x) => x.ratio)),
      cpu,
      value: median(p.map((x) => x.value)),
      p99: median(p.map((x) => x.p99)),
    };
  };
  console.log(
    '\n| scenario | side | median × baseline | CPU × baseline | median figure | median p99 ms |',
  );
  console.log('|---|---|---:|---:|---:|---:|');
  for (const scenario of scenarios) {
    for (const s of sides) {
      const m = summary(s, scenario);
      const unit = SINGLE.has(scenario) ? 'ms per export' : 'req/s';
      console.log(
        `| ${scenario} | ${s.name} | ${m.ratio.toPrecision(3)} | ${m.cpu?.toPrecision(3) ?? ''} | ${Math.round(m.value)} ${unit} | ${Math.round(m.p99)} |`,
      );
    }
    if (sides.length === 2) {
      const [a, b] = sides.map((s) => summary(s, scenario));
      console.log(
        `| ${scenario} | change | ${(b!.ratio / a!.ratio).toFixed(2)} × | ${a!.cpu && b!.cpu ? `${(b!.cpu / a!.cpu).toFixed(2)} ×` : ''} | | |`,
      );
    }
  }
  for (const s of sides) {
    console.log(`${s.name}: peak RSS ${peakRssMb(s.server.child.pid!)} MB`);
    s.server.child.kill('SIGTERM');
  }
}

await main();
