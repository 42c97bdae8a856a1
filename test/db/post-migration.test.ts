import SQLite from 'better-sqlite3';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/schema.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/** Migration 26 (return by post): its columns and the one-dossier-per-code index, down and up. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const POST = '20261203_26_post';

async function freshDatabase(): Promise<{ db: Kysely<Database>; migrator: Migrator }> {
  let db: Kysely<Database>;
  if (TEST_ENGINE === 'postgres') {
    const created = await createEmptyPostgresDatabase();
    cleanups.push(created.drop);
    db = createPostgresDb(createPostgresPool({ url: created.url, poolSize: 2 }));
  } else {
    const sqlite = new SQLite(':memory:');
    configureSqlite(sqlite);
    db = createDb(sqlite);
  }
  cleanups.push(() => db.destroy());
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return { db, migrator };
}

async function columnsOfDossiers(db: Kysely<Database>): Promise<string[]> {
  const rows =
    TEST_ENGINE === 'postgres'
      ? await sql<{
          name: string;
        }>`select column_name as name from information_schema.columns where table_name = 'dossiers'`.execute(
          db,
        )
      : await sql<{ name: string }>`select name from pragma_table_info('dossiers')`.execute(db);
  return rows.rows.map((r) => r.name).filter((n) => n.startsWith('post_'));
}

describe('migration 26 (return by post)', () => {
  it('adds the dispatch columns, and takes them away again', async () => {
    const { db, migrator } = await freshDatabase();
    const up = await migrator.migrateTo(POST);
    if (up.error) throw up.error;
    expect((await columnsOfDossiers(db)).sort()).toEqual([
      'post_address',
      'post_delivered_on',
      'post_dispatched_at',
      'post_tracking_code',
    ]);
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < POST)
      .at(-1)!;
    const down = await migrator.migrateTo(before);
    if (down.error) throw down.error;
    expect(await columnsOfDossiers(db)).toEqual([]);
    const again = await migrator.migrateTo(POST);
    if (again.error) throw again.error;
    expect(await columnsOfDossiers(db)).toHaveLength(4);
  });
});
