import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { migrateToLatest } from '../db/migrate.js';
import { startSender } from './sender.js';

/**
 * `npm run worker`: the notification sender as its own process, for installations that run
 * the web processes with NOTIFY_SENDER=off. Several workers may run: each message is claimed by
 * one (a lease), so none is sent twice.
 */
const ctx = createAppContext(loadConfig());
await migrateToLatest(ctx.db);
const sender = startSender(ctx);
ctx.logger.info('notification sender running');
const stop = async (signal: string) => {
  ctx.logger.info({ signal }, 'notification sender stopping');
  await sender.stop();
  await ctx.destroy();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
setInterval(() => undefined, 1 << 30);
