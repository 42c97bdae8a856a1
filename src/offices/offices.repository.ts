import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { OfficeRow, OfficeTable } from '../db/schema.js';

/** All SQL on the offices table. */

export async function findOfficeById(db: Db, id: number): Promise<OfficeRow | undefined> {
  return db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOfficeByCode(db: Db, code: string): Promise<OfficeRow | undefined> {
  return db.selectFrom('offices').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findAllOffices(db: Db): Promise<OfficeRow[]> {
  return db.selectFrom('offices').selectAll().orderBy('code').execute();
}

export async function insertOffice(tx: Tx, row: Insertable<OfficeTable>): Promise<number> {
  return (await tx.insertInto('offices').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateOffice(
  tx: Tx,
  id: number,
  patch: Updateable<OfficeTable>,
): Promise<void> {
  await tx.updateTable('offices').set(patch).where('id', '=', id).execute();
}
