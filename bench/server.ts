/**
 * The benchmark's server process: the real app, plus one bare Express "hello" app in the same
 * process as the baseline every other figure is compared with. Prints "ready <port>".
 *
 * Both are top-level Express apps behind one Node.js server, which hands `/hello` to the bare one
 * and everything else to the real one, as src/main.ts serves it (app.listen). The real app used
 * to be mounted inside the bare one, so every request but the baseline's paid a second app's pass
 * (Express's mounted-app dispatch and its request prototypes) that production never pays.
 */
import http from 'node:http';
import express from 'express';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { warmReadWorkers } from '../src/db/sqlite-read-workers.js';
import { BOOK_ENCODING_MODULE } from '../src/reports/exporters.js';

const ctx = createAppContext(loadConfig());
await migrateToLatest(ctx.db);
ctx.metrics.startProcessMetrics(); // as src/main.ts: the event-loop monitor runs from the start
// As src/main.ts: the read workers start with the server, the exports' encoding loaded and warm.
void warmReadWorkers(ctx.reportDb, [BOOK_ENCODING_MODULE]).catch(() => undefined);
const bare = express();
bare.get('/hello', (_req, res) => {
  res.type('text/plain').send('hello');
});
const app = createApp(ctx);
const server = http
  .createServer((req, res) => (req.url === '/hello' ? bare(req, res) : app(req, res)))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`ready ${process.env.PORT}`));
process.on('SIGTERM', () => {
  ctx.queueHub.closeAll(); // the displays' streams would hold the close
  server.close(() => void ctx.destroy().then(() => process.exit(0)));
});
