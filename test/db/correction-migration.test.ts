import SQLite from 'better-sqlite3';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/**
 * Migration 25: the dossier's `intake_corrected_at`, and on SQLite the tracking book's covering
 * index with it (the export reads that index alone); down and up again on both engines.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CORRECTION = '20261203_25_correction';

async function emptyDb(): Promise<Kysely<Database>> {
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
  return db;
}

async function columnsOf(db: Kysely<Database>): Promise<string[]> {
  const rows =
    TEST_ENGINE === 'postgres'
      ? await sql<{
          name: string;
        }>`select column_name as name from information_schema.columns where table_name = 'dossiers'`.execute(
          db,
        )
      : await sql<{ name: string }>`select name from pragma_table_info('dossiers')`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function bookIndexColumns(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{
    name: string;
  }>`select name from pragma_index_info('dossiers_tracking_book') order by seqno`.execute(db);
  return rows.rows.map((r) => r.name);
}

describe('migration 25 (correcting an intake)', () => {
  it('adds the column (and to the SQLite book index), and goes down and up again', async () => {
    const db = await emptyDb();
    await migrateToLatest(db);
    expect(await columnsOf(db)).toContain('intake_corrected_at');
    if (TEST_ENGINE === 'sqlite') {
      const columns = await bookIndexColumns(db);
      expect(columns.slice(0, 3)).toEqual(['office_id', 'received_at', 'id']);
      expect(columns).toContain('vehicle_id');
      expect(columns.at(-1)).toBe('intake_corrected_at');
      // The export's page (reports/tracking-book.repository.ts) still reads the index alone.
      const plan = await sql<{ detail: string }>`explain query plan
        select id, code, procedure_code, procedure_name, applicant_name, personal_id, address,
          phone, received_at, due_at, rescheduled_due_at, result_at, returned_at, closed_at,
          status, outcome, returned_to, note, vehicle_kind, vehicle_id, intake_corrected_at
        from dossiers where office_id = 1 and received_at >= '2026-03-01' and received_at < '2026-04-01'
          and intake_outcome = 'accepted' order by received_at, id limit 1000`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(' ')).toContain(
        'COVERING INDEX dossiers_tracking_book',
      );
    }
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < CORRECTION)
      .at(-1)!;
    const down = await migrator.migrateTo(before);
    expect(down.error).toBeUndefined();
    expect(await columnsOf(db)).not.toContain('intake_corrected_at');
    if (TEST_ENGINE === 'sqlite') expect(await bookIndexColumns(db)).toContain('vehicle_id');
    await migrateToLatest(db);
    expect(await columnsOf(db)).toContain('intake_corrected_at');
  });
});
