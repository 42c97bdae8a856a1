/**
 * The tracking book's exports, timed one after another on one bench server: the first request
 * (cold code and caches) and the next ones (warm), for the CSV and the XLSX of the district's
 * last year, with the process's peak RSS. What `npm run bench` measures in its exports row, alone.
 *
 *   npx tsc -p tsconfig.bench.json && BENCH_DB=<copy of bench/data/bench.db> npx tsx bench/exports.ts [rounds]
 */
import path from 'node:path';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import { readBenchData } from './fixtures.js';
import { benchEnv, harness, peakRssMb, timeExport } from './harness.js';

const file = path.resolve(process.env.BENCH_DB ?? 'bench/data/bench-run.db');
const rounds = Number(process.argv[2] ?? 6);
const data = readBenchData(file, 365);
const h = harness(benchEnv(file), 3);
const server = await h.startBenchServer();
const cookie = await h.login(server.base, 'lanhdao');
const today = localDateOf(new Date());
const range = `period=custom&from=${addDays(today, -364)}&to=${today}&office=${data.districtId}`;
for (const kind of ['csv', 'xlsx']) {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++)
    ms.push(
      (await timeExport(server.base, cookie, `/bao-cao/xuat/so-theo-doi.${kind}?${range}`)).ms,
    );
  const best = Math.min(...ms.slice(1));
  console.log(
    `${kind}: ${data.exportRows} rows; ms ${ms.map((m) => Math.round(m)).join(' ')}; first ${Math.round(data.exportRows / (ms[0]! / 1000))} rows/s, best warm ${Math.round(data.exportRows / (best / 1000))} rows/s; peak RSS ${peakRssMb(server.child.pid!)} MB`,
  );
}
await h.stop(server.child);
