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

describe('migration 33 (report reads by office)', () => {
  const BY_OFFICE = '20261204_33_report_reads_by_office';

  it('gives the sync rows written before it their stream’s office, indexes both reads, and goes back', async () => {
    const db = await emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < BY_OFFICE)
      .at(-1)!;
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    const at = '2026-11-02T01:00:00.000Z';
    const offices = await db
      .insertInto('offices')
      .values(
        ['A.1', 'B.1'].map((code) => ({
          code,
          name: code,
          short_name: code,
          valid_from: '2026-01-01',
          created_at: at,
        })),
      )
      .returning('id')
      .execute();
    const streams = await db
      .insertInto('portal_sync_streams')
      .values(
        offices.map((o, i) => ({
          office_id: o.id,
          ma_ho_so: `G01.${i}`,
          state: 'pending',
          next_attempt_at: at,
          last_change_at: at,
          created_at: at,
          updated_at: at,
        })),
      )
      .returning(['id', 'office_id'])
      .execute();
    const row = (stream: number, seq: number) => ({
      stream_id: stream,
      seq,
      change: 'received',
      national_status: '1',
      record: '{}',
      progress: '{}',
      created_at: at,
    });
    await db
      .insertInto('portal_sync_rows')
      .values([row(streams[0]!.id, 1), row(streams[0]!.id, 2), row(streams[1]!.id, 1)])
      .execute();

    expect((await migrator.migrateTo(BY_OFFICE)).error).toBeUndefined();
    const given = await db
      .selectFrom('portal_sync_rows')
      .select(['stream_id', 'office_id'])
      .orderBy('id')
      .execute();
    expect(given).toEqual([
      { stream_id: streams[0]!.id, office_id: streams[0]!.office_id },
      { stream_id: streams[0]!.id, office_id: streams[0]!.office_id },
      { stream_id: streams[1]!.id, office_id: streams[1]!.office_id },
    ]);
    expect(await columnsOf(db, 'portal_sync_rows_created')).toBeNull();
    expect(await columnsOf(db, 'portal_sync_rows_office_created')).toEqual([
      'office_id',
      'created_at',
      'sent_at',
    ]);
    expect(await columnsOf(db, 'dossiers_awaiting_pickup')).toEqual([
      'office_id',
      'status',
      'procedure_code',
      'report_group',
      'received_by',
      'intake_outcome',
      'result_at',
      'returned_at',
    ]);

    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await columnsOf(db, 'dossiers_awaiting_pickup')).toBeNull();
    expect(await columnsOf(db, 'portal_sync_rows_office_created')).toBeNull();
    expect(await columnsOf(db, 'portal_sync_rows_created')).toEqual([
      'created_at',
      'stream_id',
      'sent_at',
    ]);
    const rows = await db.selectFrom('portal_sync_rows').selectAll().execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]).not.toHaveProperty('office_id');
  });
});
