import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import type { Express } from 'express';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { configureSqlite } from '../../src/db/database.js';
import { FixedClock } from '../../src/lib/clock.js';
import { DEMO_PASSWORD } from '../../seeds/accounts.js';
import {
  createSeededPostgresTemplate,
  PG_TEMPLATE_ENV,
  postgresDatabaseUrl,
  sqliteTemplate,
} from './seeded-template.js';

export { DEMO_PASSWORD };

/**
 * The engine this run of the suite uses: SQLite, or PostgreSQL when the vitest project sets
 * TEST_ENGINE=postgres (and TEST_DATABASE_URL names a server whose user may create databases).
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' =
  process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

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
  const clock = new FixedClock(options.now ?? '2026-03-10T02:00:00Z'); // Tuesday 09:00 local
  const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(32) };
  if (TEST_ENGINE === 'postgres') {
    const database = await createPostgresTestDatabase();
    const config: Config = loadConfig({
      ...base,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      ...options.env,
    });
    const ctx = createAppContext(config, { clock, logger: pino({ level: 'silent' }) });
    const app = createApp(ctx);
    return {
      ctx,
      app,
      clock,
      close: async () => {
        await ctx.destroy();
        await database.drop();
      },
    };
  }
  const sqlite = new SQLite(await sqliteTemplate());
  configureSqlite(sqlite);
  const config: Config = loadConfig({ ...base, DATABASE_URL: ':memory:', ...options.env });
  const ctx = createAppContext(config, { sqlite, clock, logger: pino({ level: 'silent' }) });
  const app = createApp(ctx);
  return { ctx, app, clock, close: () => ctx.destroy() };
}

// PostgreSQL: a database copied from the run's seeded template (CREATE DATABASE … TEMPLATE, a file
// copy) for every test, dropped after it; whatever is left is dropped when the file ends.

let admin: pg.Pool | undefined;
let pgTemplate: Promise<string> | undefined;
const created = new Set<string>();
const dropping = new Set<Promise<void>>();
const FILE_TAG = `${process.pid}_${randomBytes(3).toString('hex')}`;
let counter = 0;

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL');
  return url;
}

export function postgresUrlFor(database: string): string {
  return postgresDatabaseUrl(serverUrl(), database);
}

async function adminQuery(text: string): Promise<void> {
  admin ??= new pg.Pool({ connectionString: serverUrl(), max: 2 });
  await admin.query(text);
}

/** The run's template (postgres-global-setup.ts), or, outside such a run, one for this file. */
function postgresTemplate(): Promise<string> {
  pgTemplate ??= (async () => {
    const shared = process.env[PG_TEMPLATE_ENV];
    if (shared) return shared;
    const name = `motcua_tpl_${FILE_TAG}`;
    created.add(name);
    await createSeededPostgresTemplate(serverUrl(), name);
    return name;
  })();
  return pgTemplate;
}

/** An empty PostgreSQL database (no schema) for tests that migrate themselves; dropped by drop(). */
export async function createEmptyPostgresDatabase(): Promise<{
  name: string;
  url: string;
  drop(): Promise<void>;
}> {
  const name = `motcua_t_${FILE_TAG}_${++counter}`;
  await adminQuery(`create database ${name}`);
  created.add(name);
  return { name, url: postgresUrlFor(name), drop: () => dropDatabase(name) };
}

/**
 * A migrated, seeded PostgreSQL database of its own, copied from the template. Its drop() only
 * starts the drop: the next test need not wait for it (the file's end waits for all of them).
 */
export async function createPostgresTestDatabase(): Promise<{
  name: string;
  url: string;
  drop(): Promise<void>;
}> {
  const tpl = await postgresTemplate();
  const name = `motcua_t_${FILE_TAG}_${++counter}`;
  await adminQuery(`create database ${name} template ${tpl} strategy file_copy`);
  created.add(name);
  return {
    name,
    url: postgresUrlFor(name),
    drop: async () => {
      const drop = dropDatabase(name);
      dropping.add(drop);
      void drop.finally(() => dropping.delete(drop)).catch(() => {});
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  created.delete(name);
  await adminQuery(`drop database if exists ${name} with (force)`);
}

/** Drops every database this test file created (the setup file calls it after the file). */
export async function dropPostgresTestDatabases(): Promise<void> {
  await Promise.all(dropping);
  for (const name of [...created]) await dropDatabase(name);
  await admin?.end();
  admin = undefined;
}

/** Runs a statement written for the engine under test, through Kysely; returns its rows. */
export async function rawSql<Row = Record<string, unknown>>(
  ctx: AppContext,
  text: string,
  parameters: unknown[] = [],
): Promise<Row[]> {
  const compiled = sql.raw(text).compile(ctx.db);
  const { rows } = await ctx.db.executeQuery<Row>({ ...compiled, parameters });
  return rows;
}

/** Lifts an append-only trigger, as an attacker with database access would. */
export async function dropTriggerOf(
  ctx: AppContext,
  trigger: string,
  table: string,
): Promise<void> {
  await rawSql(
    ctx,
    ctx.engine === 'postgres' ? `drop trigger ${trigger} on ${table}` : `drop trigger ${trigger}`,
  );
}

/** `?` placeholders (SQLite) as `$1, $2…` on PostgreSQL, for the few raw statements of the tests. */
export function placeholders(ctx: AppContext, text: string): string {
  if (ctx.engine !== 'postgres') return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
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
  const res = await agent
    .post('/dang-nhap')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`login as ${username} failed with ${res.status}`);
  return agent;
}

/** Reads the CSRF token of the agent's session from any page that has a form. */
export async function csrfOf(
  agent: ReturnType<typeof request.agent>,
  path = '/ho-so/hom-nay',
): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}

/** A context on the given DATABASE_URL (a file: path or postgres:// URL), for checks after a run. */
export function createTestContext(databaseUrl: string): AppContext {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL:
      databaseUrl.startsWith('postgres') || databaseUrl.startsWith('file:')
        ? databaseUrl
        : `file:${databaseUrl}`,
  });
  return createAppContext(config, { logger: pino({ level: 'silent' }) });
}
