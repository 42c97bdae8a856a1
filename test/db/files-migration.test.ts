import SQLite from 'better-sqlite3';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/** Migration 22 on a database with an access log: no event lost, its indexes kept, and an event may have no account. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FILES = '20261203_22_files';

async function databaseBeforeFiles(): Promise<Kysely<Database>> {
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
  const before = Object.keys(migrations)
    .sort()
    .filter((name) => name < FILES)
    .at(-1)!;
  const result = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateTo(before);
  if (result.error) throw result.error;
  return db;
}

async function indexesOf(db: Kysely<Database>, table: string): Promise<string[]> {
  const rows =
    TEST_ENGINE === 'postgres'
      ? await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = ${table}`.execute(db)
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
          db,
        );
  return rows.rows.map((r) => r.name).sort();
}

describe('migration 22 (files)', () => {
  it('keeps the access log and its indexes, and lets an event have no account', async () => {
    const db = await databaseBeforeFiles();
    const at = '2026-03-10T02:00:00.000Z';
    const office = await db
      .insertInto('offices')
      .values({
        code: 'X.1',
        name: 'Văn phòng',
        short_name: 'VP',
        address: '',
        phone: '',
        parent_id: null,
        valid_from: '2020-01-01',
        valid_to: null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const account = await db
      .insertInto('accounts')
      .values({
        username: 'a',
        full_name: 'A',
        role: 'officer',
        office_id: office.id,
        password_hash: 'x',
        failed_logins: 0,
        locked_until: null,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('access_events')
      .values({
        at,
        account_id: account.id,
        office_id: office.id,
        action: 'dossier.viewed',
        subject: 'X-1',
        details: '{}',
      })
      .execute();
    const indexes = await indexesOf(db, 'access_events');
    expect(indexes).toEqual(
      expect.arrayContaining(['access_events_account_at', 'access_events_at']),
    );

    await migrateToLatest(db);
    const kept = await db.selectFrom('access_events').selectAll().execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      account_id: account.id,
      action: 'dossier.viewed',
      subject: 'X-1',
    });
    expect(await indexesOf(db, 'access_events')).toEqual(
      expect.arrayContaining(['access_events_account_at', 'access_events_at']),
    );
    await db
      .insertInto('access_events')
      .values({
        at,
        account_id: null,
        office_id: office.id,
        action: 'result.downloaded',
        subject: 'X-1',
        details: '{}',
      })
      .execute();
    const ids = (await db.selectFrom('access_events').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    expect(ids).toEqual([kept[0]!.id, kept[0]!.id + 1]);
    for (const table of [
      'stored_files',
      'dossier_files',
      'file_quotas',
      'file_store_objects',
      'file_store_chunks',
    ] as const)
      expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
  });
});
