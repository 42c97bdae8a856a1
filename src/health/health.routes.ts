import { Router } from 'express';
import type { AppContext } from '../context.js';
import { currentMigration, latestMigrationName, pingDatabase } from '../db/migrate.js';

/** `/healthz` for load balancers and monitoring: is the database reachable and up to date. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    let databaseOk = false;
    let migration: string | null = null;
    try {
      await pingDatabase(ctx.db);
      databaseOk = true;
      migration = await currentMigration(ctx.db);
    } catch (err) {
      ctx.logger.error({ err }, 'health check: database unreachable');
    }
    const upToDate = migration === latestMigrationName();
    const ok = databaseOk && upToDate;
    res.status(ok ? 200 : 503).json({
      ok,
      database: databaseOk ? 'reachable' : 'unreachable',
      migration,
      migrationsPending: !upToDate,
    });
  });
  return router;
}
