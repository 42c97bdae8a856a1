import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { migrateToLatest } from '../db/migrate.js';
import { startPortalSync } from './sync-sender.js';

/**
 * `npm run portal-sync`: the national portal's sync sender as its own process, for installations
 * that run the web processes with PORTAL_SYNC_SENDER=off. Several may run: each dossier's stream
 * is leased to one, so its changes go out once and in order.
 */
const ctx = createAppContext(loadConfig());
await migrateToLatest(ctx.db);
const sender = startPortalSync(ctx);
ctx.logger.info('portal sync sender running');
const stop = async (signal: string) => {
  ctx.logger.info({ signal }, 'portal sync sender stopping');
  await sender.stop();
  await ctx.destroy();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
setInterval(() => undefined, 1 << 30);
