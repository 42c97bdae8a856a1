import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createAppContext } from './context.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDatabase } from '../seeds/index.js';
import { seedDemoDossiers } from '../seeds/demo-dossiers.js';
import { localDateOf } from './lib/vietnam-time.js';
import { accountByUsername } from './accounts/accounts.service.js';
import { vi } from './locale/vi.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  const ctx = createAppContext(config);
  const applied = await migrateToLatest(ctx.db);
  if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
  const seeded = await seedDatabase(ctx.db, { now: ctx.clock.now(), demoAccounts: config.seedDemoAccounts });
  ctx.logger.info({ inserted: seeded.inserted }, 'seed checked');
  const officer = seeded.createdAccounts.find((a) => a.role === 'officer');
  if (officer && config.seedDemoDossiers) {
    const account = (await accountByUsername(ctx, officer.username))!;
    const count = await seedDemoDossiers(ctx, account.id, localDateOf(ctx.clock.now()));
    ctx.logger.info({ count }, 'demo dossiers created');
  }
  if (seeded.createdAccounts.length > 0) {
    // Printed once, when the demo accounts are created; documented in the README too.
    console.log('\nDemo accounts created (development only):');
    for (const a of seeded.createdAccounts) console.log(`  ${a.username.padEnd(10)} ${a.role.padEnd(11)} password: ${a.password}`);
    console.log('');
  }
  if (config.sessionSecretGenerated && config.env !== 'test') {
    ctx.logger.warn('SESSION_SECRET is not set: a random one is used and sessions end when the server restarts');
  }

  const app = createApp(ctx);
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    ctx.logger.info({ host: config.host, port }, `${vi.appName} is serving on http://localhost:${port}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down: finishing requests in flight');
    const forceExit = setTimeout(() => {
      ctx.logger.error('requests did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    server.close(async () => {
      await ctx.destroy();
      ctx.logger.info('database closed; bye');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
