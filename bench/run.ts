/**
 * `npm run bench`: speed and memory at a province's scale, measured in one run on this machine.
 *
 *   1. generates the database unless present (full: bench/data/bench.db, 1,000,000 dossiers, 20
 *      offices, 3 years; `--quick`: bench/data/quick.db, 100,000 dossiers), brings it up to the
 *      current schema and copies it afresh for every run (`-run.db`), so runs measure the same
 *      data; BENCH_REGENERATE=1 forces the generation;
 *   2. times the real server's start-up on it;
 *   3. drives a server process with autocannon over loopback (10 s per scenario, 3 s with
 *      `--quick`; BENCH_WARMUP_SECONDS runs each scenario's load that long unmeasured first):
 *      the bare "hello" baseline, the JSON lookup, the citizen page, intake through the API,
 *      the queue, the counter board, the reports, exports, the outbox, imports, and the same
 *      scenarios on PostgreSQL (BENCH_POSTGRES=0 skips them);
 *   4. prints the table, appends the figures to bench/history.jsonl, prints each figure's ratio
 *      beside the previous run of the same mode and names every regression of more than 20 %,
 *      and writes docs/BENCHMARKS.md's generated sections.
 *
 * BENCH_DB, BENCH_DOSSIERS, BENCH_SECONDS, BENCH_WARMUP_SECONDS and BENCH_IMPORT_ROWS override the
 * mode's settings (the run is then recorded as a custom mode, compared only with runs of the same
 * settings). Rate limits are raised for the benchmark by configuration only (environment
 * variables).
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type autocannon from 'autocannon';
import { benchImport } from './import.js';
import { benchPostgres } from './engines.js';
import { createQueueOffice, displayFanOut, ticketIssuing } from './queue.js';
import { BENCH_LOOKUP_KEY, generateBenchDatabase } from './generate.js';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import { intakeTokens, readBenchData } from './fixtures.js';
import { intakeBodyOf, intakeLoad } from './scenarios.js';
import {
  benchDrain,
  benchEnv,
  harness,
  measureStartup,
  peakRssMb,
  timeExport,
  type Row,
} from './harness.js';
import {
  appendHistory,
  compare,
  comparisonReport,
  gitState,
  machineNow,
  readHistory,
  replaceSection,
  type RunInfo,
} from './history.js';
import {
  enginesTable,
  figuresOf,
  fmt,
  mainTable,
  runBaseline,
  WARM_EXPORTS,
  type RunResults,
} from './tables.js';

const QUICK = process.argv.includes('--quick');
const DEFAULTS = QUICK
  ? { file: 'bench/data/quick.db', dossiers: 100_000, seconds: 3, importRows: 10_000 }
  : { file: 'bench/data/bench.db', dossiers: 1_000_000, seconds: 10, importRows: 100_000 };
const SOURCE = path.resolve(process.env.BENCH_DB ?? DEFAULTS.file);
const TOTAL = Number(process.env.BENCH_DOSSIERS ?? DEFAULTS.dossiers);
const DURATION = Number(process.env.BENCH_SECONDS ?? DEFAULTS.seconds);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? DEFAULTS.importRows);
// Seconds of each scenario's load run before it is measured, on the same server (harness.ts):
// a path's first seconds pay V8's compilation and the caches' filling. Off in the full and quick
// modes: the write rows' warm-ups would change the data the later rows read (docs/DECISIONS.md,
// "The bench can measure a warm server; its modes stay cold").
const WARM_UP = Number(process.env.BENCH_WARMUP_SECONDS ?? 0);
const CUSTOM =
  TOTAL !== DEFAULTS.dossiers ||
  DURATION !== DEFAULTS.seconds ||
  WARM_UP !== 0 ||
  IMPORT_ROWS !== DEFAULTS.importRows;
const MODE = CUSTOM
  ? `custom-${TOTAL}-${DURATION}s${WARM_UP ? `-warm${WARM_UP}s` : ''}${QUICK ? '-quick' : ''}`
  : QUICK
    ? 'quick'
    : 'full';
// Every run works on a fresh copy: the intakes, offices and tokens of one run do not grow the
// next run's database (full runs once did: 20 offices became 104 over a few runs, and the
// province's reports and scorecard measured more offices each time).
const FILE = SOURCE.replace(/\.db$/, '-run.db');
// A year of the largest office; the quick database holds a tenth of the rows, so three years.
const EXPORT_DAYS = QUICK ? 3 * 365 : 365;

async function prepareDatabase(): Promise<void> {
  if (!fs.existsSync(SOURCE) || process.env.BENCH_REGENERATE === '1') {
    const started = Date.now();
    await generateBenchDatabase(SOURCE, TOTAL);
    console.log(`generation took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // Bring an older benchmark database up to the current schema once, before anything is timed.
  const { createDb } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const migrating = createDb(new SQLite(SOURCE));
  await migrateToLatest(migrating);
  await migrating.destroy();
  const source = new SQLite(SOURCE);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(FILE + suffix, { force: true });
  fs.copyFileSync(SOURCE, FILE);
}

async function main() {
  const runStarted = new Date().toISOString();
  const git = gitState();
  await prepareDatabase();
  const ENV = benchEnv(FILE);
  const h = harness(ENV, DURATION, WARM_UP);
  const data = readBenchData(FILE, EXPORT_DAYS);
  const { codes, districtId } = data;

  const startupMs = await measureStartup(ENV);
  console.log(`start-up on ${data.dossiers} dossiers: ${startupMs.toFixed(0)} ms`);

  // Created before the server starts, so its 5-second cache of offices already knows them.
  const fullSyncTokens = intakeTokens(FILE, 'full');
  const normalSyncTokens = intakeTokens(FILE, 'normal');
  const outboxTokens = intakeTokens(FILE, 'outbox');
  const queueOffice = createQueueOffice(FILE, 'tickets');
  const displayOffice = createQueueOffice(FILE, 'display');

  const rows: Row[] = [];
  const server = await h.startBenchServer();
  const pid = server.child.pid!;

  const pick = () => codes[Math.floor(Math.random() * codes.length)]!;
  const paths = (make: () => string): autocannon.Options['requests'] => [
    { setupRequest: (r) => ({ ...r, path: make() }) },
  ];
  const base = await h.load(
    '(a) bare Express "hello" (baseline)',
    { url: `${server.base}/hello`, connections: 32 },
    pid,
    false,
  );
  rows.push(base);
  rows.push(
    await h.load(
      '(b) lookup JSON /api/v1/lookup',
      {
        url: server.base,
        connections: 32,
        requests: paths(
          () => `/api/v1/lookup?code=${encodeURIComponent(pick())}&key=${BENCH_LOOKUP_KEY}`,
        ),
      },
      pid,
      true,
    ),
  );
  rows.push(
    await h.load(
      '(c) citizen page /tra-cuu (HTML)',
      {
        url: server.base,
        connections: 32,
        requests: paths(() => `/tra-cuu?ma=${encodeURIComponent(pick())}&khoa=${BENCH_LOOKUP_KEY}`),
      },
      pid,
      true,
    ),
  );
  const intakeBody = intakeBodyOf(data);
  const intakeRequests = (at: string, tokens: string[], body = intakeBody) =>
    intakeLoad(at, tokens, body, 32);
  const intake = await h.load(
    '(d) intake POST /api/v1/dossiers',
    intakeRequests(server.base, fullSyncTokens),
    pid,
    true,
  );
  rows.push(intake);
  // The same intake where the citizen consents to SMS and Zalo: two outbox rows for the receipt
  // and two for the reminder, in the intake's transaction (the bench server sends nothing).
  const withOutbox = JSON.stringify({ ...JSON.parse(intakeBody), notify: ['sms', 'zalo'] });
  const outboxRow = await h.load(
    '(d) intake with the outbox (SMS and Zalo consent)',
    intakeRequests(server.base, outboxTokens, withOutbox),
    pid,
    true,
  );
  rows.push({
    ...outboxRow,
    note: `${fmt(outboxRow.rps / intake.rps, 2)} × the intake without it`,
  });
  // The queue: kiosks taking numbers, then one office's display on 100 screens while its counter calls.
  const tickets = await h.load(
    '(j) queue ticket POST /api/v1/queue/tickets (kiosk token)',
    ticketIssuing(server.base, queueOffice, 32),
    pid,
    true,
  );
  rows.push({ ...tickets, note: `${fmt(tickets.rps / intake.rps, 2)} × the intake` });
  const fanOut = await displayFanOut(server.base, displayOffice, 100, 40);
  await h.stop(server.child);
  const drained = await benchDrain(ENV);
  // The same intake with SQLITE_SYNCHRONOUS=normal: the cost of an fsync per commit, measured.
  const relaxed = await h.startBenchServer({ SQLITE_SYNCHRONOUS: 'normal' });
  rows.push(
    await h.load(
      '(d) intake, SQLITE_SYNCHRONOUS=normal',
      intakeRequests(relaxed.base, normalSyncTokens),
      relaxed.child.pid!,
      true,
    ),
  );
  await h.stop(relaxed.child);
  const again = await h.startBenchServer();
  const officer = await h.login(again.base, 'canbo');
  const supervisor = await h.login(again.base, 'lanhdao');
  // Each page twice: under concurrent load (p50 includes waiting behind the other connections on
  // one Node.js thread) and alone (one connection: the page's own time).
  const page = async (name: string, url: string, connections: number, cookie: string) =>
    rows.push(
      await h.load(
        name,
        { url: `${again.base}${url}`, connections, timeout: 60, headers: { cookie } },
        again.child.pid!,
        true,
      ),
    );
  await page('(e) counter board /ho-so/hom-nay', '/ho-so/hom-nay', 8, officer);
  await page('(e) counter board, alone', '/ho-so/hom-nay', 1, officer);
  await page('(f) month report /bao-cao (20 offices)', '/bao-cao?period=month', 2, supervisor);
  await page('(f) month report (20 offices), alone', '/bao-cao?period=month', 1, supervisor);
  const one = `/bao-cao?period=month&office=${districtId}`;
  await page('(f) month report /bao-cao (one office)', one, 2, supervisor);
  await page('(f) month report (one office), alone', one, 1, supervisor);
  const lastMonthEnd = addDays(`${localDateOf(new Date()).slice(0, 7)}-01`, -1);
  const lastMonth = `period=custom&from=${lastMonthEnd.slice(0, 7)}-01&to=${lastMonthEnd}`;
  await page("(f) last month's report (20 offices), alone", `/bao-cao?${lastMonth}`, 1, supervisor);
  // The service index (issue 34) of the province's year: this year's and last year's scorecard,
  // each office ranked (`npm run bench:scorecard` times the service alone, with p50/p99).
  const scorecardYear = `/bao-cao/chi-so?kind=year&year=${localDateOf(new Date()).slice(0, 4)}`;
  await page(
    '(f) scorecard, province, one year (/bao-cao/chi-so), alone',
    scorecardYear,
    1,
    supervisor,
  );
  await h.stop(again.child);

  // Exports in a fresh process, so its peak RSS is the export's own.
  const exporter = await h.startBenchServer();
  const cookie = await h.login(exporter.base, 'lanhdao');
  const today = localDateOf(new Date());
  const range = `period=custom&from=${addDays(today, -(EXPORT_DAYS - 1))}&to=${today}&office=${districtId}`;
  // The first request of each (cold code and caches), then WARM_EXPORTS more: their median is
  // what a running server answers (docs/DECISIONS.md).
  const timeExports = async (url: string) => {
    const first = await timeExport(exporter.base, cookie, url);
    const warm: number[] = [];
    for (let i = 0; i < WARM_EXPORTS; i++)
      warm.push((await timeExport(exporter.base, cookie, url)).ms);
    warm.sort((a, b) => a - b);
    return { ...first, warmMs: warm[Math.floor(warm.length / 2)]! };
  };
  const csv = await timeExports(`/bao-cao/xuat/so-theo-doi.csv?${range}`);
  const csvRss = peakRssMb(exporter.child.pid!);
  const xlsx = await timeExports(`/bao-cao/xuat/so-theo-doi.xlsx?${range}`);
  const xlsxRss = peakRssMb(exporter.child.pid!);
  await h.stop(exporter.child);

  const imports = await benchImport(IMPORT_ROWS);

  // ---- The same scenarios on PostgreSQL, one and two server processes (issue 19) ----------
  const engines =
    process.env.BENCH_POSTGRES === '0'
      ? null
      : await benchPostgres({
          file: FILE,
          rows,
          codes,
          procedureDocs: data.procedureDocs,
          districtId,
          intakeBody,
          login: h.login,
          load: h.load,
          startBenchServer: h.startBenchServer,
          stop: h.stop,
          pick,
        });

  const results: RunResults = {
    rows,
    startupMs,
    exports: {
      range:
        EXPORT_DAYS > 365 ? 'three years of the largest office' : 'a year of the largest office',
      csv: { ...csv, rssMb: csvRss },
      xlsx: { ...xlsx, rows: data.exportRows, rssMb: xlsxRss },
    },
    drained,
    fanOut,
    imports,
    engines,
  };
  report(results, data, runStarted, git, csv.bytes, xlsx.bytes);
}

function report(
  results: RunResults,
  data: ReturnType<typeof readBenchData>,
  runStarted: string,
  git: ReturnType<typeof gitState>,
  csvBytes: number,
  xlsxBytes: number,
) {
  const machine = machineNow();
  const base = results.rows[0]!;
  const table = mainTable(results);
  const engines = enginesTable(results);
  const summary = [
    `Database: ${fmt(data.dossiers)} dossiers, ${fmt(data.events)} events, ${Math.round(fs.statSync(FILE).size / 2 ** 20)} MiB; start-up of the real server on it: ${fmt(results.startupMs)} ms.`,
    `Export: ${fmt(data.exportRows)} dossiers (CSV ${(csvBytes / 2 ** 20).toFixed(1)} MiB, XLSX ${(xlsxBytes / 2 ** 20).toFixed(1)} MiB).`,
    `Machine: ${machine.cpus} × ${machine.model}, ${machine.memory_gib} GiB RAM, ${machine.os}, Node.js ${machine.node}. Load generator (autocannon, ${DURATION} s per scenario, each after ${WARM_UP ? `${WARM_UP} s of the same load unmeasured and ` : ''}${Math.max(1, Math.round(DURATION / 4))} s of the baseline on the same server) and server share the machine over loopback.`,
  ].join('\n');
  console.log(`\n${table}\n\n${summary}\n\n${engines}\n`);

  const info: RunInfo = {
    run: runStarted,
    mode: MODE,
    ...git,
    machine,
    baseline: { rps: runBaseline(results.rows), p50: base.p50, p99: base.p99 },
    dossiers: data.dossiers,
  };
  const figures = figuresOf(results);
  const comparison = comparisonReport(info, compare(readHistory(), info, figures));
  appendHistory(info, figures);
  console.log(`${comparison}\n`);

  const doc = fs.existsSync('docs/BENCHMARKS.md')
    ? fs.readFileSync('docs/BENCHMARKS.md', 'utf8')
    : '# Benchmarks\n';
  const stamp = `_Last run: ${runStarted} (\`npm run bench${QUICK ? ' -- --quick' : ''}\`, commit ${git.commit ?? 'unknown'})._`;
  let next = doc;
  if (MODE === 'full') {
    next = replaceSection(
      next,
      '<!-- bench:results -->',
      `${stamp}\n\n${table}\n\n${summary}`,
      '## Latest run',
    );
    next = replaceSection(
      next,
      '<!-- bench:engines -->',
      `${stamp}\n\n${engines}`,
      '## SQLite and PostgreSQL side by side',
    );
  } else if (MODE === 'quick') {
    next = replaceSection(
      next,
      '<!-- bench:quick -->',
      `${stamp}\n\n${table}\n\n${summary}\n\n${engines}`,
      '## Latest quick run (`npm run bench -- --quick`)',
    );
  }
  if (MODE === 'full' || MODE === 'quick')
    next = replaceSection(
      next,
      `<!-- bench:history:${MODE} -->`,
      comparison,
      `## History: the latest ${MODE} run against the one before`,
    );
  fs.writeFileSync('docs/BENCHMARKS.md', next);
}

await main();
