/**
 * `npm run bench:online`: the online inbox and the national portal's sync on a real server
 * (sources under tsx, like the tests' servers), on a fresh SQLite database with the folder store
 * and, when PostgreSQL is installed, on a throwaway cluster with the database store:
 *   (n) online deliveries for BENCH_SECONDS each, 4 at once, each with a 1 MB PDF of its own
 *       (random bytes: every one is stored) and a small photo: as JSON (base64) and as multipart;
 *   (o) sync throughput: BENCH_SYNC_STATUSES dossiers received at the counter (one "received"
 *       status each, written with the sender off), then one sender (`npm run portal-sync`)
 *       delivering them to the tests' fake portal (two calls per status), statuses per second
 *       from the portal's first request to the last status taken.
 * Writes its table into docs/BENCHMARKS.md between `<!-- bench:online -->` markers and appends
 * its figures to bench/history.jsonl (mode `online`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { issueApiToken } from '../src/accounts/accounts.service.js';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase } from '../seeds/index.js';
import { accountNamed, validIntake } from '../test/support/factories.js';
import { startFakePortal } from '../test/support/fake-portal.js';
import { makePdf } from '../test/support/file-fixtures.js';
import type { FilesApp } from '../test/support/files-helpers.js';
import { nodeArgs } from '../test/support/js-build.js';
import { delivery } from '../test/support/online.js';
import { postgresBinDir, startPgCluster } from '../test/support/pg-cluster.js';
import { spawnServer } from '../test/support/server-process.js';
import { until } from '../test/support/wait.js';
import { appendHistory, gitState, machineNow } from './history.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STATUSES = Number(process.env.BENCH_SYNC_STATUSES ?? 100 * SECONDS);
const CONCURRENCY = 4;
const MB = 2 ** 20;

interface Row {
  name: string;
  connections: number;
  rate: string;
  value: number;
  unit: string;
  p50: number | null;
  p99: number | null;
  errors: number;
  rssMb: number | null;
}

const peakRssMb = (pid: number) =>
  Math.round(
    Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024,
  );
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function prepare(databaseUrl: string) {
  const ctx = createAppContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl }), {
    logger: pino({ level: 'silent' }),
  });
  await migrateToLatest(ctx.db);
  await seedDatabase(ctx.db, { now: new Date(), demoAccounts: true });
  const canbo = await accountNamed(ctx, 'canbo');
  const portalToken = await issueApiToken(ctx, canbo.id, 'bench-portal', null, {
    scope: 'portal',
  });
  const token = await issueApiToken(ctx, canbo.id, 'bench', null);
  const body = await delivery({ ctx } as FilesApp);
  const intake = await validIntake(ctx);
  await ctx.destroy();
  return { portalToken, token, body, intake };
}

async function scenario(label: string, databaseUrl: string, filesDir: string): Promise<Row[]> {
  const { portalToken, token, body, intake } = await prepare(databaseUrl);
  const portal = await startFakePortal();
  const env = {
    FILES_DIR: filesDir,
    PORTAL_SYNC_URL: portal.url,
    PORTAL_SYNC_TOKEN: 'bench-portal-token',
    PORTAL_SYNC_SENDER: 'off',
  };
  const server = await spawnServer(databaseUrl.replace(/^file:/, ''), {
    NODE_ENV: 'production',
    WRITE_RATE_LIMIT_PER_MIN: '100000000',
    ...env,
  });
  const rows: Row[] = [];
  try {
    const { components, ...fields } = body;
    const [scan, photo] = components;
    let serial = 0;
    const deliveries = async (form: 'json' | 'multipart') => {
      const times: number[] = [];
      let errors = 0;
      let bytes = 0;
      const deadline = performance.now() + SECONDS * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < deadline) {
            const pdf = makePdf({ pages: 1, padBytes: MB - 2_000 });
            const code = `BENCH-${form}-${++serial}`;
            const t0 = performance.now();
            let res: Response;
            if (form === 'json') {
              const json = JSON.stringify({
                ...body,
                portal_code: code,
                components: [
                  {
                    ...scan!,
                    files: [{ ...scan!.files[0]!, data_base64: pdf.toString('base64') }],
                  },
                  photo,
                ],
              });
              res = await fetch(`${server.baseUrl}/api/v1/online-dossiers`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${portalToken}`,
                  'content-type': 'application/json',
                },
                body: json,
              });
            } else {
              const data = new FormData();
              data.set('dossier', JSON.stringify({ ...fields, portal_code: code }));
              data.append(
                `components[${scan!.document_id}]`,
                new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }),
                'to-khai.pdf',
              );
              data.append(
                `components[${photo!.document_id}]`,
                new Blob([new Uint8Array(Buffer.from(photo!.files[0]!.data_base64, 'base64'))], {
                  type: 'image/png',
                }),
                'anh.png',
              );
              res = await fetch(`${server.baseUrl}/api/v1/online-dossiers`, {
                method: 'POST',
                headers: { authorization: `Bearer ${portalToken}` },
                body: data,
              });
            }
            await res.arrayBuffer();
            times.push(performance.now() - t0);
            bytes += pdf.length;
            if (res.status !== 201) errors++;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      rows.push({
        name: `(n) ${label}: online deliveries with a 1 MB PDF each, ${form === 'json' ? 'JSON (base64)' : 'multipart (streamed)'}`,
        connections: CONCURRENCY,
        rate: `${(times.length / seconds).toFixed(1)} deliveries/s (${(bytes / MB / seconds).toFixed(1)} MB/s)`,
        value: Math.round((times.length / seconds) * 10) / 10,
        unit: 'deliveries/s',
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        errors,
        rssMb: peakRssMb(server.child.pid!),
      });
    };
    await deliveries('json');
    await deliveries('multipart');

    // (o) STATUSES dossiers received at the counter, their "received" waiting in the outbox.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < STATUSES) {
          const res = await fetch(`${server.baseUrl}/api/v1/dossiers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(intake),
          });
          await res.arrayBuffer();
          if (res.status !== 201) throw new Error(`intake failed: ${res.status}`);
        }
      }),
    );
    const sender = spawn(process.execPath, nodeArgs('src/online/sync-cli.ts'), {
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
      },
      stdio: 'ignore',
    });
    const taken = () => portal.applied('CapNhatTienDoHoSoMC').length;
    try {
      await until(() => taken() >= STATUSES, `${STATUSES} statuses on the portal`, {
        timeoutMs: 600_000,
        intervalMs: 50,
      });
      const rssMb = peakRssMb(sender.pid!);
      const first = portal.requests[0]!.at;
      const last = Math.max(...portal.requests.map((r) => r.at));
      const seconds = Math.max(0.001, (last - first) / 1000);
      rows.push({
        name: `(o) ${label}: sync of ${STATUSES} statuses to a fake portal, one sender (2 calls each)`,
        connections: 1,
        rate: `${(STATUSES / seconds).toFixed(1)} statuses/s`,
        value: Math.round((STATUSES / seconds) * 10) / 10,
        unit: 'statuses/s',
        p50: null,
        p99: null,
        errors: portal.requests.filter((r) => !r.accepted).length,
        rssMb,
      });
    } finally {
      sender.kill('SIGTERM');
      await new Promise((r) => (sender.exitCode !== null ? r(null) : sender.once('exit', r)));
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await portal.close();
  }
  return rows;
}

async function main() {
  const startedAt = new Date().toISOString();
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-online-'));
  const rows: Row[] = [];
  try {
    rows.push(
      ...(await scenario(
        'SQLite, folder store',
        `file:${path.join(dir, 'bench.db')}`,
        path.join(dir, 'files'),
      )),
    );
    if (postgresBinDir() && process.env.BENCH_POSTGRES !== '0') {
      const cluster = await startPgCluster();
      try {
        rows.push(
          ...(await scenario(
            'PostgreSQL, database store',
            cluster.url,
            path.join(dir, 'pg-files'),
          )),
        );
      } finally {
        cluster.remove();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const fmt = (n: number | null) =>
    n === null ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const table = [
    '| scenario | conns | rate | p50 ms | p99 ms | errors | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.rate} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} | ${fmt(r.rssMb)} |`,
    ),
  ].join('\n');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node.js ${process.version}`;
  const marker = '<!-- bench:online -->';
  const block = `${marker}\n_Last run: ${new Date().toISOString()} (\`npm run bench:online\`, BENCH_SECONDS=${SECONDS}; ${machine}; load average ${load} before, ${loadAfter} after; the load, the server, the sender and the fake portal share the machine over loopback)._\n\n${table}\n${marker}`;
  console.log(`\n${table}\n\nload average: ${load} before, ${loadAfter} after\n`);
  appendHistory(
    {
      run: startedAt,
      mode: 'online',
      ...gitState(),
      machine: machineNow(),
      baseline: { rps: 0, p50: 0, p99: 0 },
      dossiers: 0,
      note: `load average ${load} before, ${loadAfter} after`,
    },
    rows.map((r) => ({
      scenario: r.name,
      value: r.value,
      unit: r.unit,
      better: 'higher',
      ratio: null,
      connections: r.connections,
      ...(r.p50 === null ? {} : { p50: r.p50, p99: r.p99! }),
      errors: r.errors,
      ...(r.rssMb === null ? {} : { rss_mb: r.rssMb }),
    })),
  );
  const doc = fs.readFileSync('docs/BENCHMARKS.md', 'utf8');
  fs.writeFileSync(
    'docs/BENCHMARKS.md',
    doc.includes(marker)
      ? doc.replace(new RegExp(`${marker}[\\s\\S]*${marker}`), block)
      : `${doc.trimEnd()}\n\n## Online dossiers and the portal sync\n\nA delivery is checked whole (fields, intake rules, every file by its bytes) before its files go to the store; as JSON its files travel in base64 and are held in memory, as multipart they stream to the spool like uploads. The sync sends each status as two calls (DongBoHoSoMC, then CapNhatTienDoHoSoMC), in order per dossier, committing after each.\n\n${block}\n`,
  );
}

await main();
