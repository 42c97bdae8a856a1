// A second (or third) server process in miniature: runs intakes against a shared database.
// Usage: node <built intake-worker.js, or --import tsx intake-worker.ts> <db file or postgres:// URL> <count> <username>
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/context.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { FixedClock } from '../../src/lib/clock.js';
import { accountNamed, validIntake } from './factories.js';

const [file, countText, username] = process.argv.slice(2);
const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: file!.startsWith('postgres') ? file! : `file:${file}`,
  SESSION_SECRET: 'x'.repeat(32),
});
const ctx = createAppContext(config, {
  clock: new FixedClock('2026-03-10T02:00:00Z'),
  logger: pino({ level: 'silent' }),
});
const account = await accountNamed(ctx, username ?? 'canbo');
const input = await validIntake(ctx);
const codes = await Promise.all(
  Array.from({ length: Number(countText) }, () =>
    receiveDossier(ctx, account, input).then((r) => r.code),
  ),
);
await ctx.destroy();
process.stdout.write(JSON.stringify(codes));
