/**
 * `npm run bench`: speed and memory at a province's scale, measured in one run on this machine.
 *
 *   1. generates bench/data/bench.db (1,000,000 dossiers, 20 offices, 3 years) unless present
 *      (BENCH_REGENERATE=1 forces it; BENCH_DOSSIERS sets the size);
 *   2. times the real server's start-up on it;
 *   3. drives a server process with autocannon over loopback: the bare "hello" baseline, the
 *      JSON lookup, the citizen page, intake through the API, the counter board, a month report,
 *      and CSV and XLSX exports of a year of the largest office;
 *   4. prints a table and writes docs/BENCHMARKS.md.
 *
 * Rate limits are raised for the benchmark by configuration only (environment variables).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { benchImport } from './import.js';
import { benchPostgres } from './engines.js';
import { createQueueOffice, displayFanOut, ticketIssuing } from './queue.js';
import { BENCH_LOOKUP_KEY, BENCH_SECRET, generateBenchDatabase } from './generate.js';
import { lookupKeyMatches } from '../src/dossiers/record/dossier-code.js';
import net from 'node:net';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';

const FILE = path.resolve(process.env.BENCH_DB ?? 'bench/data/bench.db');
const TOTAL = Number(process.env.BENCH_DOSSIERS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: BENCH_SECRET,
  DATABASE_URL: `file:${FILE}`,
  LOG_LEVEL: 'warn',
  LOOKUP_RATE_LIMIT_PER_MIN: '100000000',
  LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '100000000',
  LOOKUP_CLIENT_MISS_LIMIT_PER_HOUR: '100000000',
  WRITE_RATE_LIMIT_PER_MIN: '100000000',
  LOGIN_RATE_LIMIT_PER_15_MIN: '100000000',
};

export interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number | null;
  rssMb: number;
  note?: string;
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function startBenchServer(
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string; port: number }> {
  const port = await freePort();
  // Compiled JavaScript, as `npm start` runs it (npm run bench builds first).
  const child = spawn(process.execPath, ['dist/bench/server.js'], {
    env: { ...process.env, ...ENV, ...extraEnv, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('ready') && resolve()),
  );
  return { child, base: `http://127.0.0.1:${port}`, port };
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** The real server's start-up (src/main.ts: migrate, seed check, listen) on the big database. */
async function measureStartup(): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...ENV, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on(
      'line',
      (l) => l.includes('is serving') && resolve(),
    ),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await stop(child);
  return ms;
}

async function login(base: string, username: string): Promise<string> {
  const page = await fetch(`${base}/dang-nhap`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/dang-nhap`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: 'MotCua@2026', _csrf: csrf }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function load(
  name: string,
  opts: autocannon.Options,
  pid: number,
  baseline: number | null,
  note?: string,
): Promise<Row> {
  const result = await autocannon({ duration: DURATION, ...opts });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    connections: opts.connections ?? 10,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    ratio: baseline ? result.requests.average / baseline : null,
    rssMb: peakRssMb(pid),
    ...(note ? { note } : {}),
  };
}

async function timeExport(
  base: string,
  cookie: string,
  url: string,
): Promise<{ ms: number; bytes: number; rows: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${base}${url}`, { headers: { cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`export ${url} answered ${res.status}`);
  const rows = url.includes('.csv') ? body.toString('utf8').split('\r\n').length - 10 : 0;
  return { ms, bytes: body.length, rows };
}

const fmt2 = (n: number) => n.toFixed(2);

/**
 * Drains what the outbox scenario queued: one sender in this process against a local HTTP
 * server answering as an SMS gateway and ZNS would, with no quiet hours and no cap.
 */
async function benchDrain(
  file: string,
  env: Record<string, string>,
): Promise<{ messages: number; seconds: number; failed: number }> {
  const http = await import('node:http');
  const gateway = http.createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"error":0,"id":"x","data":{"msg_id":"x"}}'),
    );
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
  const port = (gateway.address() as { port: number }).port;
  const { loadConfig } = await import('../src/config.js');
  const { createAppContext } = await import('../src/context.js');
  const { drainOnce } = await import('../src/notifications/sender.js');
  const pino = (await import('pino')).default;
  const ctx = createAppContext(
    loadConfig({
      ...env,
      SMS_GATEWAY_URL: `http://127.0.0.1:${port}/sms`,
      ZALO_ZNS_URL: `http://127.0.0.1:${port}/zns`,
      NOTIFY_QUIET_HOURS: 'off',
      NOTIFY_DAILY_CAP: '100000',
    }),
    { logger: pino({ level: 'warn' }) },
  );
  const started = process.hrtime.bigint();
  let messages = 0;
  for (let n; (n = await drainOnce(ctx, 'bench')) > 0;) messages += n;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = Number(
    (
      await ctx.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', 'in', ['failed_temporary', 'failed_permanent'])
        .executeTakeFirstOrThrow()
    ).n,
  );
  await ctx.destroy();
  await new Promise((r) => gateway.close(r));
  return { messages, seconds, failed };
}

async function main() {
  if (!fs.existsSync(FILE) || process.env.BENCH_REGENERATE === '1') {
    const started = Date.now();
    await generateBenchDatabase(FILE, TOTAL);
    console.log(`generation took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // Bring an older benchmark database up to the current schema before anything is timed.
  {
    const { createDb } = await import('../src/db/database.js');
    const { migrateToLatest } = await import('../src/db/migrate.js');
    const migrating = createDb(new SQLite(FILE));
    await migrateToLatest(migrating);
    await migrating.destroy();
  }
  const db = new SQLite(FILE, { readonly: true });
  const dossiers = (db.prepare('select count(*) as n from dossiers').get() as { n: number }).n;
  const events = (db.prepare('select count(*) as n from dossier_events').get() as { n: number }).n;
  // Only generated dossiers (lookup key BENCH_LOOKUP_KEY): dossiers filed by an earlier run's
  // intake scenario have random keys and would answer 404 (the errors of earlier tables).
  const codes = (
    db
      .prepare('select code, lookup_key_hash from dossiers where id % 997 = 0 limit 1100')
      .all() as { code: string; lookup_key_hash: string }[]
  )
    .filter((r) => lookupKeyMatches(BENCH_SECRET, r.code, BENCH_LOOKUP_KEY, r.lookup_key_hash))
    .slice(0, 1000)
    .map((r) => r.code);
  const district = db.prepare("select id from offices where code = '000.00.13.H40'").get() as {
    id: number;
  };
  const yearRows = (
    db
      .prepare('select count(*) as n from dossiers where office_id = ? and received_on >= ?')
      .get(district.id, addDays(localDateOf(new Date()), -364)) as { n: number }
  ).n;
  const procedureDocs = (
    db
      .prepare(
        "select d.id from procedure_documents d join procedures p on p.id = d.procedure_id where p.code = '2.000200'",
      )
      .all() as { id: number }[]
  ).map((r) => String(r.id));
  db.close();

  const startupMs = await measureStartup();
  console.log(`start-up on ${dossiers} dossiers: ${startupMs.toFixed(0)} ms`);

  // Intake files into fresh offices, one officer and API token each, round robin: a 4-digit daily
  // sequence holds 9,999 codes per office and day, which one office would exhaust within the
  // scenario at 1,000 intakes/s (409s, which the first run at that speed showed). Created before
  // the server starts, so its 5-second cache of offices already knows them.
  const { createHash, randomBytes } = await import('node:crypto');
  const intakeTokens = (scenario: string, offices = 4): string[] => {
    const rw = new SQLite(FILE);
    const stamp = `${Date.now()}.${scenario}`;
    const template = rw
      .prepare("select password_hash from accounts where username = 'canbo'")
      .get() as { password_hash: string };
    const tokens: string[] = [];
    for (let i = 0; i < offices; i++) {
      const now = new Date().toISOString();
      const officeId = Number(
        rw
          .prepare(
            "insert into offices (code, name, short_name, address, phone, opening_hours, parent_id, valid_from, created_at) values (?, ?, 'Bench', '', '', '', null, '2020-01-01', ?)",
          )
          .run(`BENCH.${stamp}.${i}`, `Bench ${stamp} ${i}`, now).lastInsertRowid,
      );
      const accountId = Number(
        rw
          .prepare(
            "insert into accounts (username, full_name, role, office_id, password_hash, failed_logins, active, created_at, updated_at) values (?, 'Cán bộ thử tải', 'officer', ?, ?, 0, 1, ?, ?)",
          )
          .run(`bench.${stamp}.${i}`, officeId, template.password_hash, now, now).lastInsertRowid,
      );
      const token = `mc_${randomBytes(24).toString('base64url')}`;
      rw.prepare(
        "insert into api_tokens (account_id, name, token_hash, created_at) values (?, 'bench', ?, ?)",
      ).run(accountId, createHash('sha256').update(token).digest('hex'), now);
      tokens.push(token);
    }
    rw.close();
    return tokens;
  };
  const fullSyncTokens = intakeTokens('full');
  const normalSyncTokens = intakeTokens('normal');
  const outboxTokens = intakeTokens('outbox');
  const queueOffice = createQueueOffice(FILE, 'tickets');
  const displayOffice = createQueueOffice(FILE, 'display');

  const rows: Row[] = [];
  const server = await startBenchServer();
  const pid = server.child.pid!;

  const pick = () => codes[Math.floor(Math.random() * codes.length)]!;
  const base = await load(
    '(a) bare Express "hello" (baseline)',
    { url: `${server.base}/hello`, connections: 32 },
    pid,
    null,
  );
  rows.push(base);
  rows.push(
    await load(
      '(b) lookup JSON /api/v1/lookup',
      {
        url: server.base,
        connections: 32,
        requests: [
          {
            setupRequest: (r) => ({
              ...r,
              path: `/api/v1/lookup?code=${encodeURIComponent(pick())}&key=${BENCH_LOOKUP_KEY}`,
            }),
          },
        ],
      },
      pid,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(c) citizen page /tra-cuu (HTML)',
      {
        url: server.base,
        connections: 32,
        requests: [
          {
            setupRequest: (r) => ({
              ...r,
              path: `/tra-cuu?ma=${encodeURIComponent(pick())}&khoa=${BENCH_LOOKUP_KEY}`,
            }),
          },
        ],
      },
      pid,
      base.rps,
    ),
  );
  const intakeBody = JSON.stringify({
    procedure_code: '2.000200',
    outcome: 'accept',
    documents: procedureDocs,
    applicant_name: 'Nguyễn Văn An',
    personal_id: '035090001234',
    birth_date: '1990-05-01',
    sex: 'male',
    phone: '0912345678',
    address: 'Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam',
  });
  const intakeRequests = (
    base: string,
    tokens: string[],
    body = intakeBody,
  ): autocannon.Options => {
    let next = 0;
    return {
      url: `${base}/api/v1/dossiers`,
      connections: 32,
      requests: [
        {
          setupRequest: (r) => ({
            ...r,
            method: 'POST',
            path: '/api/v1/dossiers',
            body,
            headers: {
              authorization: `Bearer ${tokens[next++ % tokens.length]}`,
              'content-type': 'application/json',
            },
          }),
        },
      ],
    };
  };
  rows.push(
    await load(
      '(d) intake POST /api/v1/dossiers',
      intakeRequests(server.base, fullSyncTokens),
      pid,
      base.rps,
    ),
  );
  // The same intake where the citizen consents to SMS and Zalo: two outbox rows for the receipt
  // and two for the reminder, in the intake's transaction (the bench server sends nothing).
  const withOutbox = JSON.stringify({ ...JSON.parse(intakeBody), notify: ['sms', 'zalo'] });
  const outboxRow = await load(
    '(d) intake with the outbox (SMS and Zalo consent)',
    intakeRequests(server.base, outboxTokens, withOutbox),
    pid,
    base.rps,
  );
  rows.push({
    ...outboxRow,
    name: `${outboxRow.name}: ${fmt2(outboxRow.rps / rows.at(-1)!.rps)} × the intake without it`,
  });
  // The queue: kiosks taking numbers, then one office's display on 100 screens while its counter calls.
  rows.push(
    await load(
      '(j) queue ticket POST /api/v1/queue/tickets (kiosk token)',
      ticketIssuing(server.base, queueOffice, 32),
      pid,
      base.rps,
    ),
  );
  const fanOut = await displayFanOut(server.base, displayOffice, 100, 40);
  await stop(server.child);
  const drained = await benchDrain(FILE, ENV);
  // The same intake with SQLITE_SYNCHRONOUS=normal: the cost of an fsync per commit, measured.
  const relaxed = await startBenchServer({ SQLITE_SYNCHRONOUS: 'normal' });
  rows.push(
    await load(
      '(d) intake, SQLITE_SYNCHRONOUS=normal',
      intakeRequests(relaxed.base, normalSyncTokens),
      relaxed.child.pid!,
      base.rps,
    ),
  );
  await stop(relaxed.child);
  const again = await startBenchServer();
  Object.assign(server, again);
  const officer2 = await login(server.base, 'canbo');
  const supervisor2 = await login(server.base, 'lanhdao');
  // Each page twice: under concurrent load (p50 includes waiting behind the other connections on
  // one Node.js thread) and alone (one connection: the page's own time).
  rows.push(
    await load(
      '(e) counter board /ho-so/hom-nay',
      { url: `${server.base}/ho-so/hom-nay`, connections: 8, headers: { cookie: officer2 } },
      server.child.pid!,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(e) counter board, alone',
      { url: `${server.base}/ho-so/hom-nay`, connections: 1, headers: { cookie: officer2 } },
      server.child.pid!,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(f) month report /bao-cao (20 offices)',
      {
        url: `${server.base}/bao-cao?period=month`,
        connections: 2,
        timeout: 60,
        headers: { cookie: supervisor2 },
      },
      server.child.pid!,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(f) month report (20 offices), alone',
      {
        url: `${server.base}/bao-cao?period=month`,
        connections: 1,
        timeout: 60,
        headers: { cookie: supervisor2 },
      },
      server.child.pid!,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(f) month report /bao-cao (one office)',
      {
        url: `${server.base}/bao-cao?period=month&office=${district.id}`,
        connections: 2,
        timeout: 60,
        headers: { cookie: supervisor2 },
      },
      server.child.pid!,
      base.rps,
    ),
  );
  rows.push(
    await load(
      '(f) month report (one office), alone',
      {
        url: `${server.base}/bao-cao?period=month&office=${district.id}`,
        connections: 1,
        timeout: 60,
        headers: { cookie: supervisor2 },
      },
      server.child.pid!,
      base.rps,
    ),
  );
  const lastMonthEnd = addDays(`${localDateOf(new Date()).slice(0, 7)}-01`, -1);
  const lastMonth = `period=custom&from=${lastMonthEnd.slice(0, 7)}-01&to=${lastMonthEnd}`;
  rows.push(
    await load(
      "(f) last month's report (20 offices), alone",
      {
        url: `${server.base}/bao-cao?${lastMonth}`,
        connections: 1,
        timeout: 60,
        headers: { cookie: supervisor2 },
      },
      server.child.pid!,
      base.rps,
    ),
  );
  await stop(server.child);

  // Exports in a fresh process, so its peak RSS is the export's own.
  const exporter = await startBenchServer();
  const cookie = await login(exporter.base, 'lanhdao');
  const today = localDateOf(new Date());
  const range = `period=custom&from=${addDays(today, -364)}&to=${today}&office=${district.id}`;
  const csv = await timeExport(exporter.base, cookie, `/bao-cao/xuat/so-theo-doi.csv?${range}`);
  const rssAfterCsv = peakRssMb(exporter.child.pid!);
  const xlsx = await timeExport(exporter.base, cookie, `/bao-cao/xuat/so-theo-doi.xlsx?${range}`);
  const rssAfterXlsx = peakRssMb(exporter.child.pid!);
  await stop(exporter.child);

  const imports = await benchImport();

  // ---- The same scenarios on PostgreSQL, one and two server processes (issue 19) ----------
  const engineRows =
    process.env.BENCH_POSTGRES === '0'
      ? null
      : await benchPostgres({
          rows,
          codes,
          procedureDocs,
          districtId: district.id,
          intakeBody,
          login,
          load,
          startBenchServer,
          stop,
          pick,
        });

  const fmt = (n: number, d = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const cell = (r: Row | undefined) =>
    r
      ? `${fmt(r.rps)} req/s, p99 ${fmt(r.p99, 1)} ms${r.errors ? `, ${r.errors} errors` : ''}`
      : '';
  const enginesTable = engineRows
    ? [
        `PostgreSQL ${engineRows.version}: ${fmt(engineRows.load.rows)} rows loaded with COPY in ${fmt(engineRows.load.seconds)} s (throwaway cluster on this machine, fsync and synchronous_commit on).`,
        '',
        '| scenario | SQLite, 1 process | PostgreSQL, 1 process | PostgreSQL, 2 processes | PG 1 ÷ SQLite |',
        '|---|---|---|---|---:|',
        ...engineRows.scenarios.map(
          (e) =>
            `| ${e.name} | ${cell(e.sqlite)} | ${cell(e.pg1)} | ${cell(e.pg2)} | ${e.sqlite && e.pg1 ? fmt(e.pg1.rps / e.sqlite.rps, 2) : ''} |`,
        ),
      ].join('\n')
    : '_PostgreSQL half skipped (BENCH_POSTGRES=0)._';
  const table = [
    '| scenario | conns | req/s | p50 ms | p99 ms | errors | × baseline | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.errors} | ${r.ratio === null ? '1.00' : fmt(r.ratio, 2)} | ${r.rssMb} |`,
    ),
    `| (g) tracking book CSV, a year of the largest office | 1 | ${fmt(csv.rows / (csv.ms / 1000))} rows/s | ${fmt(csv.ms)} ms total | | 0 | | ${rssAfterCsv} |`,
    `| (g) tracking book XLSX, same year | 1 | ${fmt(yearRows / (xlsx.ms / 1000))} rows/s | ${fmt(xlsx.ms)} ms total | | 0 | | ${rssAfterXlsx} |`,
    `| (i) outbox drained by one sender (HTTP SMS gateway and ZNS on loopback) | 1 | ${fmt(drained.messages / drained.seconds)} messages/s | ${fmt(drained.seconds * 1000)} ms for ${fmt(drained.messages)} | | ${drained.failed} | | |`,
    `| (k) call display fan-out: ${fanOut.calls} calls to ${fanOut.displays} connected displays (SSE) | ${fanOut.displays} | | ${fmt(fanOut.p50, 1)} ms to the last display | ${fmt(fanOut.p99, 1)} (max ${fmt(fanOut.max, 1)}) | ${fanOut.missed} | | |`,
    ...imports.map(
      (f) =>
        `| ${f.name} | 1 | ${fmt(f.rows / f.seconds)} rows/s | ${fmt(f.seconds * 1000)} ms total (${fmt(f.imported)} added) | | 0 | | ${f.peakMb} |`,
    ),
  ].join('\n');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node.js ${process.version}`;
  const summary = [
    `Database: ${fmt(dossiers)} dossiers, ${fmt(events)} events, ${Math.round(fs.statSync(FILE).size / 2 ** 20)} MiB; start-up of the real server on it: ${fmt(startupMs)} ms.`,
    `Export year: ${fmt(yearRows)} dossiers (CSV ${(csv.bytes / 2 ** 20).toFixed(1)} MiB, XLSX ${(xlsx.bytes / 2 ** 20).toFixed(1)} MiB).`,
    `Machine: ${machine}. Load generator (autocannon, ${DURATION} s per scenario) and server share the machine over loopback.`,
  ].join('\n');
  console.log(`\n${table}\n\n${summary}\n`);
  fs.mkdirSync('docs', { recursive: true });
  const doc = fs.existsSync('docs/BENCHMARKS.md')
    ? fs.readFileSync('docs/BENCHMARKS.md', 'utf8')
    : '';
  const marker = '<!-- bench:results -->';
  const generated = `${marker}\n_Last run: ${new Date().toISOString()} (\`npm run bench\`)._\n\n${table}\n\n${summary}\n${marker}`;
  let next = doc.includes(marker)
    ? doc.replace(new RegExp(`${marker}[\\s\\S]*${marker}`), generated)
    : `# Benchmarks\n\n${generated}\n`;
  const engineMarker = '<!-- bench:engines -->';
  const engines = `${engineMarker}\n_Last run: ${new Date().toISOString()} (\`npm run bench\`)._\n\n${enginesTable}\n${engineMarker}`;
  next = next.includes(engineMarker)
    ? next.replace(new RegExp(`${engineMarker}[\\s\\S]*${engineMarker}`), engines)
    : `${next.trimEnd()}\n\n## SQLite and PostgreSQL side by side\n\n${engines}\n`;
  console.log(`\n${enginesTable}\n`);
  fs.writeFileSync('docs/BENCHMARKS.md', next);
}

await main();
