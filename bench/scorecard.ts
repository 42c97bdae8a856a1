/**
 * `npm run bench:scorecard`: the service index (issue 34) on the benchmark database, through the
 * service the page and the API call (`buildScorecard`: the period and the one before it):
 *   the province's year (this year, running, and last year, closed), one office's year, the
 *   province's last month; each BENCH_REPEAT times (default 30) after one warm-up call, p50/p99.
 * The database (BENCH_DB, default bench/data/bench.db, the one `npm run bench` makes) is first
 * brought up to date by the app's migrations; the time they took is printed and kept. Writes its
 * table into docs/BENCHMARKS.md between `<!-- bench:scorecard -->` markers and appends its figures
 * to bench/history.jsonl (mode `scorecard`). BENCH_POSTGRES=1 then loads the same database into a
 * throwaway PostgreSQL cluster (bench/postgres.ts) and times the same cases there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createAppContext, type AppContext } from '../src/context.js';
import { migrations } from '../migrations/index.js';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import { monthPeriod, yearPeriod, type IndexPeriod } from '../src/scorecard/periods.js';
import { buildScorecard } from '../src/scorecard/scorecard.service.js';
import { appendHistory, gitState, machineNow, replaceSection } from './history.js';
import { loadIntoPostgres } from './postgres.js';

const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/bench.db');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Each case REPEAT times after a warm-up, on one engine's context. */
async function measure(ctx: AppContext, prefix: string) {
  const dossiers = Number(
    (
      await ctx.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const offices = (await ctx.db.selectFrom('offices').select('id').execute()).map((o) => o.id);
  const busiest = await ctx.db
    .selectFrom('dossiers')
    .select(['office_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('office_id')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  const today = localDateOf(ctx.clock.now());
  const year = Number(today.slice(0, 4));
  const lastMonth = addDays(`${today.slice(0, 7)}-01`, -1);
  const cases: [string, number[], IndexPeriod][] = [
    [`province (${offices.length} offices), this year (running)`, offices, yearPeriod(year)],
    [`province (${offices.length} offices), last year`, offices, yearPeriod(year - 1)],
    [`one office (${busiest.n} dossiers), this year`, [busiest.office_id], yearPeriod(year)],
    [
      `province (${offices.length} offices), last month`,
      offices,
      monthPeriod(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7))),
    ],
  ];
  const rows: { name: string; p50: number; p99: number; mean: number }[] = [];
  for (const [label, ids, period] of cases) {
    await buildScorecard(ctx, ids, period); // warm-up
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const s = performance.now();
      await buildScorecard(ctx, ids, period);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const name = `${prefix}scorecard, ${label} (and the period before it)`;
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    rows.push({ name, p50: percentile(times, 50), p99: percentile(times, 99), mean });
    console.log(
      `${name}: p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms`,
    );
  }
  return { dossiers, rows };
}

async function main() {
  if (!fs.existsSync(FILE)) throw new Error(`no database at ${FILE} (run npm run bench first)`);
  const startedAt = new Date().toISOString();
  const ctx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: `file:${FILE}` }), {
    logger: pino({ level: 'silent' }),
  });
  // The app's migrations, in name order; a benchmark database made on an older branch may lack
  // some named before its newest one (bench.db has 21 without 18–20), so those run too.
  const t0 = performance.now();
  const migrator = new Migrator({
    db: ctx.db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  const applied = (results ?? []).map((r) => r.migrationName);
  const migrationMs = performance.now() - t0;
  console.log(`migrations ${applied.join(', ') || '(none)'}: ${fmt(migrationMs)} ms`);

  const { dossiers, rows } = await measure(ctx, '');
  await ctx.destroy();
  // The same on PostgreSQL (BENCH_POSTGRES=1): the file loaded into a throwaway cluster with COPY
  // (bench/postgres.ts, the daily tables as SQLite computed them), statistics gathered.
  if (process.env.BENCH_POSTGRES === '1') {
    const load = await loadIntoPostgres(FILE);
    try {
      const pgCtx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: load.url }), {
        logger: pino({ level: 'silent' }),
      });
      rows.push(...(await measure(pgCtx, 'PostgreSQL: ')).rows);
      // What the planner does with the two reads that matter (printed, not kept).
      const now = new Date().toISOString();
      for (const query of [
        sql`select measure, tag, sum(n) from scorecard_monthly where office_id in (select id from offices)
          and month >= ${now.slice(0, 4)} || '-01' and month <= ${now.slice(0, 4)} || '-12' group by measure, tag`,
        sql`select count(*) from dossiers d where +d.office_id in (select id from offices)
          and d.intake_outcome = 'accepted' and d.received_at < ${now}
          and d.closed_at is null and d.result_at is null`,
      ])
        for (const line of (
          await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${query}`.execute(pgCtx.db)
        ).rows)
          console.log(line['QUERY PLAN']);
      await pgCtx.destroy();
    } finally {
      load.cluster.remove();
    }
  }

  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  const table = [
    `| scenario | calls | p50 ms | p99 ms | mean ms |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.name} | ${REPEAT} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.mean)} |`,
    ),
  ].join('\n');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node.js ${process.version}`;
  const git = gitState();
  const body = `_Last run: ${startedAt} (\`npm run bench:scorecard\`, commit ${git.commit}; ${dossiers.toLocaleString('en-US')} dossiers; ${machine}; load average ${load} — \`${uptime}\`). Migrations applied first: ${applied.join(', ') || 'none'} in ${fmt(migrationMs / 1000)} s._\n\n${table}`;
  console.log(`\n${table}\n`);
  appendHistory(
    {
      run: startedAt,
      mode: 'scorecard',
      ...git,
      machine: machineNow(),
      baseline: { rps: 0, p50: 0, p99: 0 },
      dossiers,
      note: `load average ${load}; migrations ${applied.join(', ') || 'none'} ${Math.round(migrationMs)} ms`,
    },
    rows.map((r) => ({
      scenario: r.name,
      value: Math.round(r.p50 * 10) / 10,
      unit: 'ms',
      better: 'lower',
      ratio: null,
      p50: Math.round(r.p50 * 10) / 10,
      p99: Math.round(r.p99 * 10) / 10,
    })),
  );
  const doc = fs.readFileSync('docs/BENCHMARKS.md', 'utf8');
  fs.writeFileSync(
    'docs/BENCHMARKS.md',
    replaceSection(doc, '<!-- bench:scorecard -->', body, '## Scorecard (chỉ số phục vụ)'),
  );
}

await main();
