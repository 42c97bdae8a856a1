import type { Kysely } from 'kysely';
import type { Database, OfficeRow } from '../db/schema.js';

type Db = Kysely<Database>;

export async function findOfficeById(db: Db, id: number): Promise<OfficeRow | undefined> {
  return db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAllOffices(db: Db): Promise<OfficeRow[]> {
  return db.selectFrom('offices').selectAll().orderBy('code').execute();
}

/** An office and every office below it (communes under a district), by walking the tree. */
export async function findOfficeSubtreeIds(db: Db, rootId: number): Promise<number[]> {
  const all = await db.selectFrom('offices').select(['id', 'parent_id']).execute();
  const ids = [rootId];
  for (let i = 0; i < ids.length; i++) {
    for (const o of all) if (o.parent_id === ids[i] && !ids.includes(o.id)) ids.push(o.id);
  }
  return ids;
}
