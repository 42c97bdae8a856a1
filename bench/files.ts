/**
 * `npm run bench:files`: the files' loads on a real server (compiled sources under tsx, like the
 * tests' servers), on a fresh SQLite database with the folder store and, when PostgreSQL is
 * installed, on a throwaway cluster with the database store:
 *   (l) 8 concurrent uploads of 2 MB scans through the API: MB/s, latency p50/p99, peak RSS;
 *   (m) the dossier page with 10 files (and one of its thumbnails), with autocannon.
 * Writes its table into docs/BENCHMARKS.md between `<!-- bench:files -->` markers and appends its
 * figures to bench/history.jsonl (mode `files`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pino from 'pino';
import { issueApiToken } from '../src/accounts/accounts.service.js';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase } from '../seeds/index.js';
import { accountNamed, validIntake } from '../test/support/factories.js';
import { chromiumJpeg, makePdf, makePng } from '../test/support/file-fixtures.js';
import { postgresBinDir, startPgCluster } from '../test/support/pg-cluster.js';
import { spawnServer } from '../test/support/server-process.js';
import { appendHistory, gitState, machineNow } from './history.js';

const UPLOADS = Number(process.env.BENCH_FILE_UPLOADS ?? 96);
const CONCURRENCY = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface FilesRow {
  name: string;
  connections: number;
  rate: string;
  /** The rate as a number, for the bench's history (MB/s or req/s). */
  value: number;
  unit: string;
  p50: number;
  p99: number;
  errors: number;
  rssMb: number;
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
  const token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'bench', null);
  const intake = await validIntake(ctx);
  await ctx.destroy();
  return { token, intake };
}

async function scenario(
  label: string,
  databaseUrl: string,
  env: Record<string, string>,
): Promise<FilesRow[]> {
  const { token, intake } = await prepare(databaseUrl);
  const server = await spawnServer(databaseUrl.replace(/^file:/, ''), {
    NODE_ENV: 'production',
    WRITE_RATE_LIMIT_PER_MIN: '100000000',
    ...env,
  });
  const auth = { authorization: `Bearer ${token}` };
  const newDossier = async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/dossiers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(intake),
    });
    const code = ((await res.json()) as { dossier: { code: string } }).dossier.code;
    const list = (await (
      await fetch(`${server.baseUrl}/api/v1/dossiers/${code}/files`, { headers: auth })
    ).json()) as {
      components: { component: string }[];
    };
    return { code, components: list.components.map((c) => c.component) };
  };
  const upload = async (code: string, component: string, bytes: Buffer, mode = 'replace') => {
    const form = new FormData();
    form.set('component', component);
    form.set('mode', mode);
    form.set('file', new Blob([new Uint8Array(bytes)]), 'scan.pdf');
    return fetch(`${server.baseUrl}/api/v1/dossiers/${code}/files`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
  };
  const rows: FilesRow[] = [];

  // (l) 8 uploaders, each 2 MB scans (distinct bytes: every one is stored) into dossiers of their own.
  const files = Array.from({ length: UPLOADS }, () =>
    makePdf({ pages: 2, padBytes: 2 * 1024 * 1024 - 2_000 }),
  );
  const dossiers = await Promise.all(Array.from({ length: CONCURRENCY }, () => newDossier()));
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    dossiers.map(async (d) => {
      while (next < files.length) {
        const bytes = files[next++]!;
        const t0 = performance.now();
        const res = await upload(d.code, d.components[0]!, bytes);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 201) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const megabytes = files.reduce((s, f) => s + f.length, 0) / 2 ** 20;
  times.sort((a, b) => a - b);
  rows.push({
    name: `(l) ${label}: ${UPLOADS} uploads of 2 MB scans, 8 at once (POST /api/v1/dossiers/:ref/files)`,
    connections: CONCURRENCY,
    rate: `${(megabytes / seconds).toFixed(1)} MB/s (${(UPLOADS / seconds).toFixed(1)} files/s)`,
    value: Math.round((megabytes / seconds) * 10) / 10,
    unit: 'MB/s',
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    errors,
    rssMb: peakRssMb(server.child.pid!),
  });

  // (m) a dossier with 10 files (5 photos on each of its two papers), its page and a thumbnail.
  const page = await newDossier();
  for (let i = 0; i < 10; i++) {
    const res = await upload(
      page.code,
      page.components[i % 2]!,
      i % 2 ? makePng(1200, 800) : chromiumJpeg(),
      'add',
    );
    if (res.status !== 201) throw new Error(`setup upload failed: ${res.status}`);
  }
  const login = await fetch(`${server.baseUrl}/dang-nhap`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const signedIn = await fetch(`${server.baseUrl}/dang-nhap`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'canbo', password: 'MotCua@2026', _csrf: csrf }),
  });
  const session = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const pageHtml = await (
    await fetch(`${server.baseUrl}/ho-so/${page.code}`, { headers: { cookie: session } })
  ).text();
  const thumbnails = [...pageHtml.matchAll(/<img src="(\/tep\/\d+)"/g)].map((m) => m[1]!);
  if (thumbnails.length !== 10)
    throw new Error(`the page shows ${thumbnails.length} thumbnails, not 10`);
  for (const [name, url, connections] of [
    [`(m) ${label}: dossier page with 10 files`, `/ho-so/${page.code}`, 8],
    [`(m) ${label}: the same page, alone`, `/ho-so/${page.code}`, 1],
    [`(m) ${label}: one of its thumbnails (a 1200×800 PNG, verified per read)`, thumbnails[1]!, 8],
  ] as const) {
    const r = await autocannon({
      url: `${server.baseUrl}${url}`,
      connections,
      duration: SECONDS,
      headers: { cookie: session },
    });
    rows.push({
      name,
      connections,
      rate: `${Math.round(r.requests.average)} req/s`,
      value: Math.round(r.requests.average),
      unit: 'req/s',
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
      rssMb: peakRssMb(server.child.pid!),
    });
  }
  server.child.kill('SIGTERM');
  await server.exited;
  return rows;
}

async function main() {
  const startedAt = new Date().toISOString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-files-'));
  const rows: FilesRow[] = [];
  try {
    rows.push(
      ...(await scenario('SQLite, folder store', `file:${path.join(dir, 'bench.db')}`, {
        FILES_DIR: path.join(dir, 'files'),
      })),
    );
    if (postgresBinDir() && process.env.BENCH_POSTGRES !== '0') {
      const cluster = await startPgCluster();
      try {
        rows.push(
          ...(await scenario('PostgreSQL, database store', cluster.url, {
            FILES_DIR: path.join(dir, 'pg-files'),
          })),
        );
      } finally {
        cluster.remove();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const table = [
    '| scenario | conns | rate | p50 ms | p99 ms | errors | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.rate} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} | ${r.rssMb} |`,
    ),
  ].join('\n');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node.js ${process.version}`;
  const marker = '<!-- bench:files -->';
  const block = `${marker}\n_Last run: ${new Date().toISOString()} (\`npm run bench:files\`; ${machine}; the load and the server share the machine over loopback)._\n\n${table}\n${marker}`;
  console.log(`\n${table}\n`);
  // Into the bench's history too (mode 'files': compared only with earlier runs of this bench).
  appendHistory(
    {
      run: startedAt,
      mode: 'files',
      ...gitState(),
      machine: machineNow(),
      baseline: { rps: 0, p50: 0, p99: 0 },
      dossiers: 0,
    },
    rows.map((r) => ({
      scenario: r.name,
      value: r.value,
      unit: r.unit,
      better: 'higher',
      ratio: null,
      connections: r.connections,
      p50: r.p50,
      p99: r.p99,
      errors: r.errors,
      rss_mb: r.rssMb,
    })),
  );
  const doc = fs.readFileSync('docs/BENCHMARKS.md', 'utf8');
  fs.writeFileSync(
    'docs/BENCHMARKS.md',
    doc.includes(marker)
      ? doc.replace(new RegExp(`${marker}[\\s\\S]*${marker}`), block)
      : `${doc.trimEnd()}\n\n## Files (số hóa)\n\nUploads stream to a spool while hashed and inspected, then go to the store; every read of a file is verified against its SHA-256 before it is sent (so a thumbnail costs two reads of its bytes).\n\n${block}\n`,
  );
}

await main();
