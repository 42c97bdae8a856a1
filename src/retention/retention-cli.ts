import pino from 'pino';
import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { migrateToLatest } from '../db/migrate.js';
import { applyRetention } from './retention.service.js';

/**
 * `npm run retention` counts what the retention settings would remove; `npm run retention --
 * --apply` removes it. See docs/SECURITY.md.
 */
const apply = process.argv.includes('--apply');
const ctx = createAppContext(loadConfig(), { logger: pino({ level: 'warn' }) });
try {
  await migrateToLatest(ctx.db);
  const plan = await applyRetention(ctx, { apply });
  console.log(`${plan.applied ? 'Applied' : 'Dry run (nothing changed; add --apply to apply)'}:`);
  console.log(
    `  closed dossiers anonymised (closed before ${plan.dossiersClosedBefore}): ${plan.dossiers}`,
  );
  console.log(`  lookup counts dropped (before ${plan.lookupEventsBefore}): ${plan.lookupEvents}`);
  console.log(`  stored files deleted (only anonymised dossiers referred to them): ${plan.files}`);
} finally {
  await ctx.destroy();
}
