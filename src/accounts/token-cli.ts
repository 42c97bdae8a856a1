import pino from 'pino';
import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { migrateToLatest } from '../db/migrate.js';
import type { TokenScope } from '../db/schema.js';
import { accountByUsername, issueApiToken } from './accounts.service.js';

/**
 * `npm run token -- <username> [name] [--scope full|read|kiosk|portal|display|postal]`: issues an API
 * bearer token for an account, as an administrator at the server's console. The token is printed
 * once; only its hash is kept. A kiosk token opens the office's ticket kiosk
 * (`/kiosk/<office>?khoa=<token>`); a portal token only delivers online dossiers
 * (`POST /api/v1/online-dossiers`); a display token registers the office's call display
 * (`/man-hinh/<office>?khoa=<token>`), whose streams then keep their places under load.
 */
const args = process.argv.slice(2);
const scopeAt = args.indexOf('--scope');
const scope = scopeAt >= 0 ? args.splice(scopeAt, 2)[1] : 'full';
const [username, name = 'api'] = args;
if (!username || !['full', 'read', 'kiosk', 'portal', 'display', 'postal'].includes(scope ?? '')) {
  console.error(
    'usage: npm run token -- <username> [token name] [--scope full|read|kiosk|portal|display|postal]',
  );
  process.exit(2);
}
const ctx = createAppContext(loadConfig(), { logger: pino({ level: 'silent' }) });
try {
  await migrateToLatest(ctx.db);
  const account = await accountByUsername(ctx, username);
  if (!account || !account.active) {
    console.error(`no active account named ${username}`);
    process.exitCode = 1;
  } else {
    const token = await issueApiToken(ctx, account.id, name, null, { scope: scope as TokenScope });
    console.log(token);
  }
} finally {
  await ctx.destroy();
}
