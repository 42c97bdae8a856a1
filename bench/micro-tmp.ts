import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createAppContext } from '../src/context.js';
import { issueTicket, presentTicket } from '../src/queue/tickets.service.js';
import { loadSnapshot } from '../src/queue/queue-snapshot.service.js';
import { createQueueOffice } from './queue.js';
import { benchEnv } from './harness.js';
import fs from 'node:fs';
fs.copyFileSync('bench/data/quick.db', '/tmp/ops-micro.db');
const file = '/tmp/ops-micro.db';
const office = createQueueOffice(file, 'micro');
const ctx = createAppContext(loadConfig({ ...benchEnv(file), SQLITE_SYNCHRONOUS: 'normal' }), { logger: pino({ level: 'warn' }) });
const officeRow = (await ctx.masterData.offices()).find((o) => o.code === office.code)!;
let issued = 0;
for (const batch of [500, 500, 1000, 1000, 1000]) {
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: batch }, async () => {
    const { ticket, group } = await issueTicket(ctx, { office: office.code, service_group: 'CC' }, null);
    await presentTicket(ctx, ticket, group);
  }));
  issued += batch;
  const c = process.cpuUsage(c0);
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) { const s0 = performance.now(); await loadSnapshot(ctx, officeRow.id); xs.push(performance.now() - s0); }
  console.log(`after ${issued}: ${((c.user + c.system) / batch).toFixed(0)} µs CPU/ticket (concurrent); snapshot load ${Math.min(...xs).toFixed(1)} ms`);
}
await ctx.destroy();
