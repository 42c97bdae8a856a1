/**
 * `npx tsx bench/report.ts`: the report page's services and the counter board, called in-process
 * on the benchmark database (what `/bao-cao` and `/ho-so/hom-nay` compute, without HTTP and EJS):
 * last month's report and this month's report of every office (the supervisor `lanhdao`), this
 * month's of one office (id 2), and the counter board of the officer `canbo`; each BENCH_REPEAT
 * times (default 20) after a warm-up, p50/p99, and the process's CPU time per call (every
 * thread's: the read workers' too). BENCH_DB names the database (default bench/data/bench.db;
 * bring it up to date with `npm run migrate` first). BENCH_STATEMENTS=1 prints, for one call of
 * each case, every statement's time, its parameters and SQLite's query plan (slowest first).
 */
import path from 'node:path';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createAppContext, type AppContext } from '../src/context.js';
import type { Database } from '../src/db/schema.js';
import { currentAccountById } from '../src/accounts/accounts.service.js';
import { getBoard } from '../src/dossiers/board.service.js';
import { channelsReportExtension } from '../src/online/channels-report.js';
import { paymentsReportExtension } from '../src/payments/report-section.js';
import { filesReportExtension } from '../src/files/report-section.js';
import { combineReportExtensions, type ReportExtension } from '../src/reports/extensions.js';
import { countMessages } from '../src/notifications/admin.service.js';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import {
  buildDeadlineLists,
  buildReport,
  buildStepReport,
  parseReportQuery,
  reportWindow,
  resolveReportScope,
} from '../src/reports/reports.service.js';

const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/bench.db');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);
const STATEMENTS = process.env.BENCH_STATEMENTS === '1';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

interface Logged {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

async function main() {
  const base = createAppContext(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: `file:${FILE}`,
      SQLITE_READ_WORKERS: process.env.SQLITE_READ_WORKERS ?? '2',
    }),
    {
      logger: pino({ level: 'silent' }),
    },
  );
  const logged: Logged[] = [];
  const loggingDb = new Kysely<Database>({
    dialect: new SqliteDialect({ database: base.sqlite! }),
    log: (e: LogEvent) => {
      logged.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
    },
  });
  // The same context, reading through the logging instance when statements are asked for.
  const ctx: AppContext = STATEMENTS
    ? Object.create(base, {
        readDb: { value: loggingDb },
        reportDb: { value: loggingDb },
        db: { value: loggingDb },
      })
    : base;
  if (STATEMENTS) {
    // The features' report sections, made again on the logging context (each part timed).
    const timed = (name: string, part: ReportExtension): ReportExtension => ({
      async sections(period) {
        const s = performance.now();
        const out = (await part.sections?.(period)) ?? [];
        console.log(`   section ${name}: ${fmt(performance.now() - s)} ms`);
        return out;
      },
    });
    Object.defineProperty(ctx, 'reportExtensions', {
      value: combineReportExtensions([
        timed('payments', paymentsReportExtension(ctx)),
        timed('files', filesReportExtension(ctx)),
        timed('channels', channelsReportExtension(ctx)),
      ]),
    });
  }
  const account = async (username: string) => {
    const row = await base.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return (await currentAccountById(base, row.id))!;
  };
  const supervisor = await account('lanhdao');
  const officer = await account('canbo');
  const today = localDateOf(ctx.clock.now());
  const lastMonthEnd = addDays(`${today.slice(0, 7)}-01`, -1);
  // What renderReport in reports.routes.ts computes for the page.
  const reportPage = (query: Record<string, string>) => async () => {
    const q = parseReportQuery(query, today);
    const scope = await resolveReportScope(ctx, supervisor, q.office);
    const w = reportWindow(q, ctx.clock.now());
    const pastEnd = w.asOfIso === w.endIso ? w.endIso : undefined;
    await Promise.all([
      buildReport(ctx, scope, q),
      buildDeadlineLists(ctx, scope, pastEnd),
      buildStepReport(ctx, scope, q),
      countMessages(ctx, scope.officeIds, w.startIso, w.endIso),
    ]);
  };
  const cases: [string, () => Promise<unknown>][] = [
    [
      "last month's report (20 offices)",
      reportPage({ period: 'custom', from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd }),
    ],
    ['month report (20 offices)', reportPage({ period: 'month' })],
    ['month report (one office)', reportPage({ period: 'month', office: '2' })],
    ['counter board', () => getBoard(ctx, officer)],
  ];
  const only = process.argv[2];
  for (const [name, run] of cases) {
    if (only && !name.includes(only)) continue;
    await run(); // warm-up
    if (STATEMENTS) {
      logged.length = 0;
      const s = performance.now();
      await run();
      console.log(`\n== ${name}: ${fmt(performance.now() - s)} ms, ${logged.length} statements`);
      const shapes = new Map<string, { n: number; ms: number }>();
      for (const l of logged) {
        const key = l.sql.replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 160);
        const s = shapes.get(key) ?? { n: 0, ms: 0 };
        shapes.set(key, { n: s.n + 1, ms: s.ms + l.ms });
      }
      for (const [key, s] of [...shapes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
        console.log(`${fmt(s.ms)} ms in ${s.n}× ${key}`);
      for (const l of [...logged]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, Number(process.env.BENCH_PLANS ?? 12))) {
        const plan = base
          .sqlite!.prepare(`explain query plan ${l.sql}`)
          .all(...(l.parameters as unknown[])) as { detail: string }[];
        console.log(`${fmt(l.ms)} ms  ${l.sql.slice(0, 400)}`);
        console.log(`   params ${JSON.stringify(l.parameters).slice(0, 200)}`);
        for (const p of plan) console.log(`   plan: ${p.detail}`);
      }
      continue;
    }
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < REPEAT; i++) {
      const s = performance.now();
      await run();
      times.push(performance.now() - s);
    }
    const used = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    console.log(
      `${name}: p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms, CPU ${fmt((used.user + used.system) / 1000 / REPEAT)} ms per call (${REPEAT} calls)`,
    );
  }
  await base.destroy();
}

await main();
