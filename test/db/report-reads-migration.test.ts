import SQLite from 'better-sqlite3';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/**
 * Migration 30: the board's index carries the columns the report's received-in-the-period
 * sections read, the checklists' index the component and tick, and the sync rows get an index by
 * time; and back.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const COVERED = '20261204_30_report_reads_covered';

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

/** Each index's columns, carried (INCLUDE) ones included, in order. */
async function columnsOf(db: Kysely<any>, index: string): Promise<string[] | null> {
  if (TEST_ENGINE === 'postgres') {
    const { rows } = await sql<{ column: string }>`
      select a.attname as column
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, n)
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where c.relname = ${index}
      order by k.n`.execute(db);
    return rows.length ? rows.map((r) => r.column) : null;
  }
  const { rows } = await sql<{ name: string; key: number }>`
    select name, key from pragma_index_xinfo(${index}) where cid >= 0`.execute(db);
  return rows.length ? rows.map((r) => r.name) : null;
}

describe('migration 30 (report reads covered)', () => {
  it('carries the columns the sections read, and goes back', async () => {
    const db = await emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < COVERED)
      .at(-1)!;
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await columnsOf(db, 'dossiers_office_received_on')).toEqual([
      'office_id',
      'received_on',
      'received_at',
    ]);
    expect(await columnsOf(db, 'portal_sync_rows_created')).toBeNull();

    expect((await migrator.migrateTo(COVERED)).error).toBeUndefined();
    expect(await columnsOf(db, 'dossiers_office_received_on')).toEqual([
      'office_id',
      'received_on',
      'received_at',
      'intake_outcome',
      'id',
      'procedure_code',
      'procedure_name',
      'receiving_channel',
      'return_channel',
      'fee_vnd',
    ]);
    expect(await columnsOf(db, 'dossier_documents_dossier')).toEqual([
      'dossier_id',
      'procedure_document_id',
      'received',
    ]);
    expect(await columnsOf(db, 'portal_sync_rows_created')).toEqual([
      'created_at',
      'stream_id',
      'sent_at',
    ]);

    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await columnsOf(db, 'dossiers_office_received_on')).toEqual([
      'office_id',
      'received_on',
      'received_at',
    ]);
    expect(await columnsOf(db, 'dossier_documents_dossier')).toEqual(['dossier_id']);
    expect(await columnsOf(db, 'portal_sync_rows_created')).toBeNull();
  });
});
