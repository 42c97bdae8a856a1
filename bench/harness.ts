/**
 * What every scenario of `npm run bench` uses: the server process (compiled, production mode),
 * autocannon runs turned into table rows, logins, timed exports, peak RSS from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { BENCH_SECRET } from './generate.js';

export interface Row {
  /** Stable across runs: the history compares rows by this name. */
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number | null;
  /** The bare-Express baseline measured on the same server just before this row (req/s). */
  baselineRps: number | null;
  /**
   * The server process's CPU time per request (µs, user + system, from /proc): unlike req/s,
   * hardly moved by other work on a shared machine. Null when too few requests were answered.
   */
  cpuUs: number | null;
  baselineCpuUs: number | null;
  rssMb: number;
  /**
   * Milliseconds from the start until every connection had had its first answer. The server
   * accepts one new connection per turn of its event loop (libuv 1.46), so when many connections
   * open at once against a busy server, the last ones wait for as many turns; p50, p99 and req/s
   * are taken after this ramp, over the connections' steady traffic. Null when the ramp never
   * ended (the figures are then autocannon's over the whole run).
   */
  rampMs?: number | null;
  /**
   * The same load's first window on the server, run just before the measured one and not
   * counted in it (`Harness.warmUpSeconds`): its rate and p99 after the ramp, as the full and
   * quick modes (which have none) measure the row. A path's first seconds pay V8's compilation of
   * its code and the caches' filling (docs/BENCHMARKS.md, "Nineteenth round"). Null without one.
   */
  warmUp?: { seconds: number; rps: number; p99: number } | null;
  /** Shown after the name in the table (e.g. a ratio to another row); not part of the name. */
  note?: string;
}

/** The server's environment: production, quiet logs, rate limits raised by configuration only. */
export function benchEnv(file: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // As `npm start` and the Docker image run the server (docs/DECISIONS.md, "Exports encoded on
    // the read workers").
    MALLOC_ARENA_MAX: '2',
    SESSION_SECRET: BENCH_SECRET,
    DATABASE_URL: `file:${file}`,
    LOG_LEVEL: 'warn',
    LOOKUP_RATE_LIMIT_PER_MIN: '100000000',
    LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '100000000',
    LOOKUP_CLIENT_MISS_LIMIT_PER_HOUR: '100000000',
    WRITE_RATE_LIMIT_PER_MIN: '100000000',
    LOGIN_RATE_LIMIT_PER_15_MIN: '100000000',
    // The display fan-out opens 100 unregistered displays from one address.
    QUEUE_STREAMS_PER_CLIENT: '1000',
  };
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) the process has used, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The value below which `share` of the sorted `values` lie (nearest rank). */
export function percentile(sorted: ArrayLike<number>, share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/**
 * Runs autocannon and measures the server's CPU per answered request, and the latency and rate
 * of the steady traffic: the answers after every connection has had its first one (see
 * `Row.rampMs`). The CPU per request is over the whole run.
 */
async function measured(opts: autocannon.Options, pid: number) {
  const connections = opts.connections ?? 10;
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const answered = new Set<unknown>();
  let steadyAt: number | null = null;
  const latencies: number[] = [];
  // Without a callback autocannon returns its run: a promise of the result, and an emitter.
  const instance = autocannon(opts) as Promise<autocannon.Result> & NodeJS.EventEmitter;
  (instance as NodeJS.EventEmitter).on(
    'response',
    (client: unknown, status: number, _bytes: number, ms: number) => {
      if (steadyAt !== null) {
        if (status >= 200 && status < 300) latencies.push(ms); // as autocannon's own histogram
      } else if (answered.add(client).size >= connections) steadyAt = performance.now();
    },
  );
  const result = await instance;
  const ended = performance.now();
  const cpu = cpuMs(pid) - cpuBefore;
  const total = result.requests.total;
  const cpuUs = total >= 20 ? Math.round((cpu * 1000) / total) : null;
  if (steadyAt === null || latencies.length < 20) {
    const whole = {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
    };
    return { result, cpuUs, ...whole, rampMs: null };
  }
  const sorted = Float64Array.from(latencies).sort();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    result,
    cpuUs,
    rps: latencies.length / ((ended - steadyAt) / 1000),
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    rampMs: Math.round(steadyAt - started),
  };
}

export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export interface BenchServer {
  child: ChildProcess;
  base: string;
  port: number;
}

export interface Harness {
  env: Record<string, string>;
  duration: number;
  startBenchServer(extraEnv?: Record<string, string>): Promise<BenchServer>;
  stop(child: ChildProcess): Promise<void>;
  login(base: string, username: string): Promise<string>;
  /**
   * One autocannon run. With `compare`, the bare "hello" route of the same server is measured for
   * a moment just before it, and the row's ratio is to that: the machine is shared, and a
   * baseline taken minutes earlier may have met a different load.
   */
  load(name: string, opts: autocannon.Options, pid: number, compare: boolean): Promise<Row>;
  /**
   * Seconds of the same load run before each measured one, unmeasured (the row keeps its
   * figures as `warmUp`), so that the row measures a warm server. 0 (the full and quick modes):
   * none, see docs/DECISIONS.md "The bench can measure a warm server; its modes stay cold".
   */
  warmUpSeconds: number;
}

export function harness(env: Record<string, string>, duration: number, warmUpSeconds = 0): Harness {
  async function startBenchServer(extraEnv: Record<string, string> = {}): Promise<BenchServer> {
    const port = await freePort();
    // Compiled JavaScript, as `npm start` runs it (npm run bench builds first).
    const child = spawn(process.execPath, ['dist/bench/server.js'], {
      env: { ...process.env, ...env, ...extraEnv, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).on(
        'line',
        (l) => l.startsWith('ready') && resolve(),
      ),
    );
    return { child, base: `http://127.0.0.1:${port}`, port };
  }

  async function stop(child: ChildProcess) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
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
    compare: boolean,
  ): Promise<Row> {
    const warm =
      warmUpSeconds > 0 ? await measured({ ...opts, duration: warmUpSeconds }, pid) : null;
    const base = compare
      ? await measured(
          {
            url: `${new URL(String(opts.url)).origin}/hello`,
            connections: 32,
            duration: Math.max(1, Math.round(duration / 4)),
          },
          pid,
        )
      : null;
    const baseline = base ? base.rps : null;
    const { result, cpuUs, rps, p50, p99, rampMs } = await measured({ duration, ...opts }, pid);
    const errors = result.errors + result.timeouts + result.non2xx;
    return {
      name,
      connections: opts.connections ?? 10,
      rps: Math.round(rps * 10) / 10,
      p50,
      p99,
      errors,
      ratio: baseline ? rps / baseline : null,
      baselineRps: baseline === null ? null : Math.round(baseline),
      cpuUs,
      baselineCpuUs: base?.cpuUs ?? null,
      rssMb: peakRssMb(pid),
      rampMs,
      warmUp: warm
        ? {
            seconds: warmUpSeconds,
            rps: Math.round(warm.rps * 10) / 10,
            p99: warm.p99,
          }
        : null,
    };
  }

  return { env, duration, startBenchServer, stop, login, load, warmUpSeconds };
}

/** The real server's start-up (src/main.ts: migrate, seed check, listen) on the database. */
export async function measureStartup(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on(
      'line',
      (l) => l.includes('is serving') && resolve(),
    ),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

export async function timeExport(
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

/**
 * Drains what the outbox scenario queued: one sender in this process against a local HTTP
 * server answering as an SMS gateway and ZNS would, with no quiet hours and no cap.
 */
export async function benchDrain(
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
