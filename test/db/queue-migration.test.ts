import SQLite from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase } from '../../seeds/index.js';
import { createEmptyPostgresDatabase, TEST_ENGINE } from '../support/test-app.js';

/** Migration 16 on a database that already has messages: none lost, and a message may now be about a ticket. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function databaseAt15() {
  let db;
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
  const result = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateTo('20261201_15_notifications');
  if (result.error) throw result.error;
  await seedDatabase(db, { now: new Date('2026-03-10T02:00:00Z'), demoAccounts: true });
  return db;
}

describe('migration 16 (the queue)', () => {
  it('keeps the outbox rows and their indexes, and lets a message name a ticket instead of a dossier', async () => {
    const db = await databaseAt15();
    const office = await db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const procedure = await db
      .selectFrom('procedures')
      .select(['id', 'code', 'name'])
      .executeTakeFirstOrThrow();
    const account = await db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'canbo')
      .executeTakeFirstOrThrow();
    const at = '2026-03-10T02:00:00.000Z';
    const dossier = await db
      .insertInto('dossiers')
      .values({
        office_id: office.id,
        procedure_id: procedure.id,
        procedure_code: procedure.code,
        procedure_name: procedure.name,
        report_group: 'can_cuoc',
        processing_days: 7,
        intake_outcome: 'guided',
        status: 'guided',
        applicant_name: 'A',
        applicant_name_folded: 'a',
        received_at: at,
        received_on: '2026-03-10',
        received_by: account.id,
        created_at: at,
        updated_at: at,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = {
      office_id: office.id,
      kind: 'receipt',
      channel: 'sms',
      recipient: '0912345678',
      body: 'x',
      state: 'queued',
      next_attempt_at: at,
      expires_at: at,
      created_at: at,
    } as const;
    await db
      .insertInto('notifications')
      .values({ ...message, dossier_id: dossier.id } as never)
      .execute();

    await migrateToLatest(db);
    const kept = await db.selectFrom('notifications').selectAll().execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      dossier_id: dossier.id,
      ticket_id: null,
      recipient: '0912345678',
      state: 'queued',
    });
    // The demo service groups and counters are seeded on the next seed run.
    await seedDatabase(db, { now: new Date(at), demoAccounts: true });
    const group = await db
      .selectFrom('service_groups')
      .select('id')
      .where('office_id', '=', office.id)
      .where('code', '=', 'CC')
      .executeTakeFirstOrThrow();
    const ticket = await db
      .insertInto('tickets')
      .values({
        office_id: office.id,
        group_id: group.id,
        day: '2026-03-10',
        seq: 1,
        number: 'C001',
        access_key: 'k'.repeat(24),
        state: 'waiting',
        issued_at: at,
        queued_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('notifications')
      .values({ ...message, kind: 'queue_near', dossier_id: null, ticket_id: ticket.id })
      .execute();
    expect(
      await db.selectFrom('notifications').select('id').where('dossier_id', 'is', null).execute(),
    ).toHaveLength(1);
    // The sender's index is still there (SQLite rebuilt the table).
    const indexes =
      TEST_ENGINE === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'notifications'`.execute(
              db,
            )
          ).rows
        : (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'notifications'`.execute(
              db,
            )
          ).rows;
    expect(indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        'notifications_due',
        'notifications_dossier',
        'notifications_recipient_sent',
        'notifications_provider',
        'notifications_office_created',
      ]),
    );
  });
});
