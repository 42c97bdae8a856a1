import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { startFakeProviders, type FakeProviders } from '../support/fake-providers.js';
import { postIntake } from '../support/intake-load.js';
import { spawnServer } from '../support/server-process.js';
import { createTestContext } from '../support/test-app.js';
import { freshDatabase as freshDatabaseFor } from '../support/fresh-database.js';
import { until } from '../support/wait.js';
import { nodeArgs } from '../support/js-build.js';

/** The outbox across real processes, on the engine under test: nothing lost, nothing twice. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const freshDatabase = () => freshDatabaseFor(cleanups, 'motcua-outbox');

async function prepare(database: string, providers: FakeProviders) {
  const ctx = createTestContext(database);
  const token = await issueApiToken(ctx, (await accountNamed(ctx, 'canbo')).id, 'outbox', null);
  const body = await validIntake(ctx, { notify: ['sms'] });
  await ctx.destroy();
  // Quiet hours off: the test runs whenever it runs.
  const env = {
    SMS_GATEWAY_URL: `${providers.url}/sms`,
    NOTIFY_QUIET_HOURS: '',
    NOTIFY_DAILY_CAP: '1000',
  };
  return { token, body, env };
}

describe('the outbox across processes', () => {
  it('sends after a restart what a server killed with SIGKILL had committed but not sent', async () => {
    const providers = await startFakeProviders();
    cleanups.push(() => providers.close());
    const database = await freshDatabase();
    const { token, body, env } = await prepare(database, providers);
    // A server that does not send (its sender off), killed right after the commits.
    const first = await spawnServer(database, { ...env, NOTIFY_SENDER: 'off' });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await postIntake(first.baseUrl, { token, body })).code!);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(providers.requests).toHaveLength(0);

    const second = await spawnServer(database, env);
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await second.exited;
    });
    await until(() => providers.delivered('/sms').length >= 5, 'five messages delivered', {
      intervalMs: 100,
    });
    const texts = providers.delivered('/sms').map((b) => String(b.text));
    for (const code of codes)
      expect(
        texts.filter((t) => t.includes(code)),
        code,
      ).toHaveLength(1);
  });

  it('two sender processes (npm run worker) on one database send each message once', async () => {
    const providers = await startFakeProviders();
    cleanups.push(() => providers.close());
    const database = await freshDatabase();
    const { token, body, env } = await prepare(database, providers);
    const writer = await spawnServer(database, { ...env, NOTIFY_SENDER: 'off' });
    for (let i = 0; i < 30; i++)
      expect((await postIntake(writer.baseUrl, { token, body })).status).toBe(201);
    writer.child.kill('SIGTERM');
    await writer.exited;
    // Two sender processes (`npm run worker`) draining the same outbox at once.
    const worker = () =>
      spawn(process.execPath, nodeArgs('src/notifications/worker-cli.ts'), {
        env: {
          ...process.env,
          ...env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          DATABASE_URL: database.startsWith('postgres') ? database : `file:${database}`,
        },
        stdio: 'ignore',
      });
    const workers = [worker(), worker()];
    cleanups.push(async () => {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(
        workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))),
      );
    });
    await until(() => providers.delivered('/sms').length >= 30, '30 messages delivered', {
      intervalMs: 100,
    });
    // Time for a duplicate to show, were there one (a wait that cannot fail a correct run).
    await new Promise((r) => setTimeout(r, 1500));
    const ids = providers.delivered('/sms').map((m) => m.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });
});
