import type { Kysely } from 'kysely';
import type { Database, OfficeRow } from '../db/schema.js';

type Db = Kysely<Database>;

export async function findOfficeById(db: Db, id: number): Promise<OfficeRow | undefined> {
  return db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAllOffices(db: Db): Promise<OfficeRow[]> {
  return db.selectFrom('offices').selectAll().orderBy('code').execute();
}
