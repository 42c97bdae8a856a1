import { Router } from 'express';
import type { AppContext } from '../context.js';
import { currentMigration, latestMigrationName, pingDatabase } from '../db/migrate.js';

/**
 * Liveness and readiness, apart (docs/OPERATIONS.md):
 * - `/healthz`: the process answers (its event loop turns). Nothing else: a database outage
 *   must not make an orchestrator restart every process.
 * - `/readyz`: this process should get traffic: the database answers, every migration is applied,
 *   and the process is not shutting down; 503 otherwise, with what is wrong.
 */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    let databaseOk = false;
    let migration: string | null = null;
    try {
      await pingDatabase(ctx.db);
      databaseOk = true;
      migration = await currentMigration(ctx.db);
    } catch (err) {
      ctx.logger.error({ err }, 'readiness check: database unreachable');
    }
    const upToDate = migration === latestMigrationName();
    const shuttingDown = ctx.lifecycle.shuttingDown;
    const ok = databaseOk && upToDate && !shuttingDown;
    res.status(ok ? 200 : 503).json({
      ok,
      database: databaseOk ? 'reachable' : 'unreachable',
      migration,
      migrationsPending: !upToDate,
      shuttingDown,
    });
  });
  return router;
}
