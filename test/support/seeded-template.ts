import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/context.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase } from '../../seeds/index.js';

/**
 * The migrated, seeded database every test starts from, made once per vitest run instead of once
 * per test file (migrating and seeding, with the demo accounts' scrypt hashes, cost each file
 * about half a second on SQLite and one to two seconds on PostgreSQL):
 * - SQLite: an image of the file, written by sqlite-global-setup.ts and named in
 *   MOTCUA_SQLITE_TEMPLATE;
 * - PostgreSQL: a template database, made by postgres-global-setup.ts and named in
 *   MOTCUA_PG_TEMPLATE.
 * Outside such a run (no variable) each test file makes its own, as before.
 */
export const SQLITE_TEMPLATE_ENV = 'MOTCUA_SQLITE_TEMPLATE';
export const PG_TEMPLATE_ENV = 'MOTCUA_PG_TEMPLATE';

/** The seeds' creation time: a fixed instant, so every run seeds the same rows. */
export const SEEDED_AT = new Date('2026-01-01T00:00:00Z');

/** A migrated, seeded SQLite database in memory, as the bytes of its file. */
export async function seededSqliteImage(): Promise<Buffer> {
  const sqlite = new SQLite(':memory:');
  configureSqlite(sqlite);
  const db = createDb(sqlite);
  await migrateToLatest(db);
  await seedDatabase(db, { now: SEEDED_AT, demoAccounts: true });
  const image = sqlite.serialize();
  await db.destroy();
  return image;
}

let image: Promise<Buffer> | undefined;

/** The run's seeded image, or one made in this process when there is none. */
export function sqliteTemplate(): Promise<Buffer> {
  const file = process.env[SQLITE_TEMPLATE_ENV];
  image ??= file ? fs.promises.readFile(file) : seededSqliteImage();
  return image;
}

/** Writes the seeded database to `file` (a SQLite database file for a real server process). */
export async function writeSeededSqliteFile(file: string): Promise<void> {
  await fs.promises.writeFile(file, await sqliteTemplate());
}

/** The URL of `database` on the server of `serverUrl`. */
export function postgresDatabaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates database `name` on the server of `serverUrl`, migrated and seeded, to copy from. */
export async function createSeededPostgresTemplate(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Pool({ connectionString: serverUrl, max: 1 });
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: postgresDatabaseUrl(serverUrl, name),
  });
  const ctx = createAppContext(config, { logger: pino({ level: 'silent' }) });
  await migrateToLatest(ctx.db);
  await seedDatabase(ctx.db, { now: SEEDED_AT, demoAccounts: true });
  await ctx.destroy(); // a template must have no connections while it is copied
}
