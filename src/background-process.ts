import { loadConfig } from './config.js';
import { createAppContext, type AppContext } from './context.js';
import { migrateToLatest } from './db/migrate.js';

/**
 * Runs a background sender as its own process (`npm run worker`, `npm run portal-sync`): the
 * context from the environment, the database migrated, the sender started; SIGINT or SIGTERM
 * stop it after the pass under way and close the database.
 */
export async function runBackgroundProcess(
  name: string,
  start: (ctx: AppContext) => { stop(): Promise<void> },
): Promise<void> {
  const ctx = createAppContext(loadConfig());
  await migrateToLatest(ctx.db);
  const sender = start(ctx);
  ctx.logger.info(`${name} running`);
  const stop = async (signal: string) => {
    ctx.logger.info({ signal }, `${name} stopping`);
    await sender.stop();
    await ctx.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  setInterval(() => undefined, 1 << 30);
}
