import SQLite from 'better-sqlite3';
import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/** Migration 28 (issue 28, item 7): the published free text goes; the demo's hours become 07:30. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOURS = '20261203_28_hours';
const DEMO_TEXT =
  'Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00; sáng thứ Bảy: 7:30–11:30 (tiếp nhận hồ sơ cư trú)';

async function emptyDatabase(): Promise<Kysely<any>> {
  let db: Kysely<any>;
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
  return db;
}

describe('migration 28 (hours)', () => {
  it('gives an office still on the old default the 07:30 it published, then drops the free text', async () => {
    const db = await emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < HOURS)
      .at(-1)!;
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    const office = (code: string, opening: string, working: string) => ({
      code,
      name: code,
      short_name: code,
      address: '',
      phone: '',
      opening_hours: opening,
      working_hours: working,
      parent_id: null,
      valid_from: '2020-01-01',
      created_at: '2026-01-01T00:00:00Z',
    });
    await db
      .insertInto('offices')
      .values([
        office('DEMO.1', DEMO_TEXT, '07:00-11:30,13:30-17:00'),
        office('OTHER.1', 'Sáng 8:00', '07:00-11:30,13:30-17:00'),
        office('SET.1', DEMO_TEXT, '08:00-12:00'),
      ])
      .execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await db.selectFrom('offices').selectAll().orderBy('code').execute();
    expect(rows.map((r) => [r.code, r.working_hours])).toEqual([
      ['DEMO.1', '07:30-11:30,13:30-17:00'],
      ['OTHER.1', '07:00-11:30,13:30-17:00'],
      ['SET.1', '08:00-12:00'],
    ]);
    expect(rows.every((r) => !('opening_hours' in r))).toBe(true);
    // And back: the column returns (empty), the hours stay.
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    const back = await db.selectFrom('offices').select(['opening_hours']).execute();
    expect(back.map((r) => r.opening_hours)).toEqual(['', '', '']);
  });
});
