import { runBackgroundProcess } from '../background-process.js';
import { startPortalSync } from './sync-sender.js';

/**
 * `npm run portal-sync`: the national portal's sync sender as its own process, for installations
 * that run the web processes with PORTAL_SYNC_SENDER=off. Several may run: each dossier's stream
 * is leased to one, so its changes go out once and in order.
 */
await runBackgroundProcess('portal sync sender', (ctx) => startPortalSync(ctx));
