import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { FixedClock } from '../../src/lib/clock.js';
import {
  buildReport,
  parseReportQuery,
  resolveReportScope,
} from '../../src/reports/reports.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createPostgresTestDatabase, loginAs, TEST_ENGINE } from '../support/test-app.js';

/**
 * DATABASE_READ_URL: the citizen lookup, reports and exports read the replica; everything else
 * the primary. Shown with a "replica" that deliberately lags for ever (a second database that
 * never receives the primary's writes), so each read's source is visible.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function appWithReplica(): Promise<{ ctx: AppContext; app: ReturnType<typeof createApp> }> {
  const primary = await createPostgresTestDatabase();
  const replica = await createPostgresTestDatabase();
  cleanup.push(primary.drop, replica.drop);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: primary.url,
    DATABASE_READ_URL: replica.url,
    SESSION_SECRET: 'x'.repeat(32),
  });
  const ctx = createAppContext(config, {
    clock: new FixedClock('2026-03-10T02:00:00Z'),
    logger: pino({ level: 'silent' }),
  });
  cleanup.push(() => ctx.destroy());
  return { ctx, app: createApp(ctx) };
}

describe.runIf(TEST_ENGINE === 'postgres')('a read replica (DATABASE_READ_URL)', () => {
  it('serves the citizen lookup and the reports, while the counter reads and writes the primary', async () => {
    const { ctx, app } = await appWithReplica();
    expect(ctx.readDb).not.toBe(ctx.db);
    const officer = await accountNamed(ctx, 'canbo');
    const result = await receiveDossier(ctx, officer, await validIntake(ctx));

    // The counter (primary) has the dossier at once.
    const counter = await loginAs(app, 'canbo');
    const page = await counter.get(`/ho-so/${encodeURIComponent(result.code!)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(result.code!);

    // The citizen's lookup reads the replica, which has not received it (yet): not found.
    const lookup = await request(app)
      .get('/api/v1/lookup')
      .query({ code: result.code!, key: result.lookupKey! });
    expect(lookup.status).toBe(404);

    // The month report reads the replica too: nothing received there.
    const supervisor = await accountNamed(ctx, 'lanhdao');
    const scope = await resolveReportScope(ctx, supervisor, 'all');
    const report = await buildReport(
      ctx,
      scope,
      parseReportQuery({ period: 'month' }, '2026-03-10'),
    );
    expect(report.totals.received).toBe(0);
    expect(
      (await loginAs(app, 'lanhdao').then((a) => a.get('/bao-cao').query({ period: 'month' })))
        .status,
    ).toBe(200);
    const primaryCount = await ctx.db
      .selectFrom('report_daily')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('measure', '=', 'received')
      .executeTakeFirstOrThrow();
    const replicaCount = await ctx.readDb
      .selectFrom('report_daily')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('measure', '=', 'received')
      .executeTakeFirst();
    expect(Number(primaryCount.n)).toBe(1);
    expect(Number(replicaCount?.n ?? 0)).toBe(0);
  });
});
