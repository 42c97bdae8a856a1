import SQLite from 'better-sqlite3';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { FixedClock } from '../../src/lib/clock.js';
import { seedDatabase } from '../../seeds/index.js';
import { DEMO_PASSWORD } from '../../seeds/accounts.js';

export { DEMO_PASSWORD };

let template: Promise<Buffer> | undefined;

/** A migrated, seeded database image, built once per test file and copied for every test. */
function templateDatabase(): Promise<Buffer> {
  template ??= (async () => {
    const sqlite = new SQLite(':memory:');
    configureSqlite(sqlite);
    const db = createDb(sqlite);
    await migrateToLatest(db);
    await seedDatabase(db, { now: new Date('2026-01-01T00:00:00Z'), demoAccounts: true });
    const image = sqlite.serialize();
    await db.destroy();
    return image;
  })();
  return template;
}

export interface TestApp {
  ctx: AppContext;
  app: Express;
  clock: FixedClock;
  close(): Promise<void>;
}

/** A fresh app on its own copy of the seeded database, with a clock that stands still. */
export async function createTestApp(
  options: { now?: string; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const sqlite = new SQLite(await templateDatabase());
  configureSqlite(sqlite);
  const config: Config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', SESSION_SECRET: 'x'.repeat(32), ...options.env });
  const clock = new FixedClock(options.now ?? '2026-03-10T02:00:00Z'); // Tuesday 09:00 local
  const ctx = createAppContext(config, { sqlite, clock, logger: pino({ level: 'silent' }) });
  const app = createApp(ctx);
  return { ctx, app, clock, close: () => ctx.destroy() };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1]!;
}

/** A supertest agent (keeps cookies) logged in as a demo account, plus a fresh CSRF token. */
export async function loginAs(app: Express, username: string, password = DEMO_PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get('/dang-nhap');
  const res = await agent.post('/dang-nhap').type('form').send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`login as ${username} failed with ${res.status}`);
  return agent;
}

/** Reads the CSRF token of the agent's session from any page that has a form. */
export async function csrfOf(agent: ReturnType<typeof request.agent>, path = '/ho-so/hom-nay'): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}
