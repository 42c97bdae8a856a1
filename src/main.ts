import { warmReadWorkers } from './db/sqlite-read-workers.js';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { BOOK_ENCODING_MODULE } from './reports/exporters.js';
import { startSender } from './notifications/sender.js';
import { startPortalSync } from './online/sync-sender.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createAppContext, createLogger, type AppContext } from './context.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDatabase } from '../seeds/index.js';
import { seedDemoDossiers } from '../seeds/demo-dossiers.js';
import { localDateOf } from './lib/vietnam-time.js';
import { accountByUsername } from './accounts/accounts.service.js';
import { vi } from './locale/vi.js';
import { joinClusterMetrics, serveClusterMetrics } from './metrics/cluster-metrics.js';

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

  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config);
  const ctx = createAppContext(config);
  // With several workers the primary has prepared the database before forking them.
  if (cluster.isPrimary) await prepareDatabase(ctx, config);
  serve(ctx, config);
}

/** Migrations, master data, and on a fresh development install the demo accounts and dossiers. */
async function prepareDatabase(ctx: AppContext, config: Config): Promise<void> {
  const applied = await migrateToLatest(ctx.db);
  if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
  const seeded = await seedDatabase(ctx.db, {
    now: ctx.clock.now(),
    demoAccounts: config.seedDemoAccounts,
  });
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
    for (const a of seeded.createdAccounts)
      console.log(`  ${a.username.padEnd(10)} ${a.role.padEnd(11)} password: ${a.password}`);
    console.log('');
  }
  if (config.sessionSecretGenerated && config.env !== 'test') {
    ctx.logger.warn(
      'SESSION_SECRET is not set: a random one is used and sessions end when the server restarts',
    );
  }
}

/**
 * WEB_CONCURRENCY=N: the primary prepares the database once, then forks N workers that share the
 * port (node:cluster) and the database; a worker that dies is replaced. Sessions, rate limits and
 * the master-data version live in the database, so any worker may answer any request.
 */
async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config);
  // Every worker must sign sessions and key lookups alike: a generated secret is made once, here.
  const env = {
    MOTCUA_WORKER: '1',
    SESSION_SECRET: config.sessionSecret,
    LOOKUP_KEY_SECRET: config.lookupKeySecret,
  };
  const ctx = createAppContext(config, { logger });
  await prepareDatabase(ctx, config);
  await ctx.destroy();
  serveClusterMetrics(); // a scrape of any worker answers for all of them
  let stopping = false;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < config.webConcurrency; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('all workers stopped; bye');
        process.exit(0);
      }
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'a worker died; starting another');
    fork();
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: config.webConcurrency }, 'shutting down the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function serve(ctx: AppContext, config: Config): void {
  ctx.metrics.startProcessMetrics();
  if (cluster.isWorker) ctx.metrics.gatherWith(joinClusterMetrics(ctx.metrics.registry));
  const app = createApp(ctx);
  warmReadWorkers(ctx.reportDb, [BOOK_ENCODING_MODULE]).catch((err: unknown) =>
    ctx.logger.warn({ err }, 'the report read workers did not start; they start on first use'),
  );
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    ctx.logger.info(
      { host: config.host, port },
      `${vi.appName} is serving on http://localhost:${port}`,
    );
  });
  // Messages to citizens go out from here unless a separate `npm run worker` sends them.
  const sender = config.notify.sender === 'inline' ? startSender(ctx) : null;
  // Likewise the national portal's sync (PORTAL_SYNC_SENDER=off: the worker sends).
  const portalSync = config.portal.sender === 'inline' ? startPortalSync(ctx) : null;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.lifecycle.shuttingDown = true; // /readyz answers 503 to a balancer still asking
    ctx.logger.info({ signal }, 'shutting down: finishing requests in flight');
    const forceExit = setTimeout(() => {
      ctx.logger.error('requests did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    // Call displays hold their streams open: end them, or the server would wait for them.
    ctx.queueHub.closeAll();
    server.close(async () => {
      await sender?.stop();
      await portalSync?.stop();
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
