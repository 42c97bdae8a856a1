/**
 * The benchmark's server process: the real app, plus one bare Express "hello" route in the same
 * process as the baseline every other figure is compared with. Prints "ready <port>".
 */
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
const outer = express();
outer.get('/hello', (_req, res) => {
  res.type('text/plain').send('hello');
});
outer.use(createApp(ctx));
const server = outer.listen(Number(process.env.PORT), '127.0.0.1', () =>
  console.log(`ready ${process.env.PORT}`),
);
process.on('SIGTERM', () => {
  ctx.queueHub.closeAll(); // the displays' streams would hold the close
  server.close(() => void ctx.destroy().then(() => process.exit(0)));
});
