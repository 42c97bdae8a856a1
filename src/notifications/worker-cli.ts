import { runBackgroundProcess } from '../background-process.js';
import { startSender } from './sender.js';

/**
 * `npm run worker`: the notification sender as its own process, for installations that run
 * the web processes with NOTIFY_SENDER=off. Several workers may run: each message is claimed by
 * one (a lease), so none is sent twice.
 */
await runBackgroundProcess('notification sender', (ctx) => startSender(ctx));
