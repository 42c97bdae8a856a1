import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { insertDossier, newDossierRow } from '../../src/dossiers/record/index.js';
import type { DossierRow } from '../../src/db/schema.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * On PostgreSQL the intake reserves its dossier's id and sends the dossier's INSERT with its
 * other rows, unanswered (db/deferred-writes.ts): the row it answers with is built from what it
 * inserted and the columns' defaults. That row must be the stored one, column for column and in
 * the table's order, on both engines, or a column added later would be missed.
 */
let t: TestApp;
let model: DossierRow;
beforeAll(async () => {
  t = await createTestApp();
  const officer = await accountNamed(t.ctx, 'canbo');
  const received = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
  model = (await t.ctx.db
    .selectFrom('dossiers')
    .selectAll()
    .where('id', '=', received.dossierId)
    .executeTakeFirstOrThrow()) as DossierRow;
});
afterAll(() => t?.close());

let reserved = 0;
const reserveId = async () =>
  TEST_ENGINE === 'postgres'
    ? (
        await sql<{
          id: number;
        }>`select nextval(pg_get_serial_sequence('dossiers', 'id'))::int4 as id`.execute(t.ctx.db)
      ).rows[0]!.id
    : model.id + 1000 + ++reserved;

/** The least the database needs named (its NOT NULL columns without a default), from a stored dossier. */
const required = () => ({
  office_id: model.office_id,
  procedure_id: model.procedure_id,
  procedure_code: model.procedure_code,
  procedure_name: model.procedure_name,
  report_group: model.report_group,
  processing_days: model.processing_days,
  intake_outcome: 'accepted' as const,
  status: 'received',
  applicant_name: 'Trần Thị Bình',
  applicant_name_folded: 'tran thi binh',
  received_at: model.received_at,
  received_on: model.received_on,
  received_by: model.received_by,
  created_at: model.created_at,
  updated_at: model.updated_at,
});

async function insertAndRead(values: Parameters<typeof insertDossier>[1]) {
  const id = await reserveId();
  const built = await t.ctx.db.transaction().execute((tx) => insertDossier(tx, values, id));
  const stored = await t.ctx.db
    .selectFrom('dossiers')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { built, stored };
}

describe('a dossier inserted with a reserved id', () => {
  it('answers with the stored row when the INSERT names only what it must', async () => {
    const { built, stored } = await insertAndRead(required() as never);
    expect(built).toEqual(stored);
    expect(Object.keys(built)).toEqual(Object.keys(stored));
    expect(built.version).toBe(1);
    expect(built.receiving_channel).toBe('counter');
  });

  it('answers with the stored row when the INSERT names every column it may', async () => {
    const { id: _id, ...everything } = model;
    void _id;
    const {
      import_id: _i,
      import_key: _k,
      ...insertable
    } = {
      ...everything,
      code: null,
      lookup_key_hash: null,
      form_token: null,
      email: 'binh@example.vn',
      notify_channels: 'sms,email',
      return_channel: 'post' as const,
      vehicle_brand: 'Honda',
    };
    void _i;
    void _k;
    const { built, stored } = await insertAndRead(insertable);
    expect(built).toEqual(stored);
    expect(built.email).toBe('binh@example.vn');
    expect(built.return_channel).toBe('post');
  });

  it('refuses to build a row the INSERT would not store', () => {
    const { applicant_name: _a, ...missing } = required();
    void _a;
    expect(() => newDossierRow(1, missing as never)).toThrow(/applicant_name/);
  });

  it('lists every column of the table', async () => {
    expect(Object.keys(newDossierRow(model.id, required() as never))).toEqual(Object.keys(model));
  });
});
