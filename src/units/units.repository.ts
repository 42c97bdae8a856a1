import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { ProcessingUnitRow, ProcessingUnitTable, UnitRole } from '../db/schema.js';

/** All SQL on processing units and their members. */

export async function findUnitsOfOffices(
  db: Db,
  officeIds: number[],
): Promise<ProcessingUnitRow[]> {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('processing_units')
    .selectAll()
    .where('office_id', 'in', officeIds)
    .orderBy('office_id')
    .orderBy('id')
    .execute();
}

export async function findUnitById(db: Db, id: number): Promise<ProcessingUnitRow | undefined> {
  return db.selectFrom('processing_units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnitByCode(
  db: Db,
  officeId: number,
  code: string,
): Promise<ProcessingUnitRow | undefined> {
  return db
    .selectFrom('processing_units')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function insertUnit(tx: Tx, row: Insertable<ProcessingUnitTable>): Promise<number> {
  return (
    await tx.insertInto('processing_units').values(row).returning('id').executeTakeFirstOrThrow()
  ).id;
}

export async function updateUnit(
  tx: Tx,
  id: number,
  patch: Updateable<ProcessingUnitTable>,
): Promise<void> {
  await tx.updateTable('processing_units').set(patch).where('id', '=', id).execute();
}

export interface UnitMember {
  unit_id: number;
  account_id: number;
  role: UnitRole;
  full_name: string;
  username: string;
  active: number;
}

/** Members of units, with their names (accounts are read here for the read model only). */
export async function findMembers(db: Db, unitIds: number[]): Promise<UnitMember[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('unit_members')
    .innerJoin('accounts', 'accounts.id', 'unit_members.account_id')
    .select([
      'unit_members.unit_id',
      'unit_members.account_id',
      'unit_members.role',
      'accounts.full_name',
      'accounts.username',
      'accounts.active',
    ])
    .where('unit_members.unit_id', 'in', unitIds)
    .orderBy('unit_members.role', 'desc')
    .orderBy('accounts.full_name')
    .execute();
}

export async function findMembershipsOf(
  db: Db,
  accountId: number,
): Promise<{ unit_id: number; role: UnitRole; office_id: number }[]> {
  return db
    .selectFrom('unit_members')
    .innerJoin('processing_units', 'processing_units.id', 'unit_members.unit_id')
    .select(['unit_members.unit_id', 'unit_members.role', 'processing_units.office_id'])
    .where('unit_members.account_id', '=', accountId)
    .where('processing_units.active', '=', 1)
    .execute();
}

export async function upsertMember(
  tx: Tx,
  row: { unit_id: number; account_id: number; role: UnitRole; created_at: string },
): Promise<void> {
  await tx
    .insertInto('unit_members')
    .values(row)
    .onConflict((oc) => oc.columns(['unit_id', 'account_id']).doUpdateSet({ role: row.role }))
    .execute();
}

export async function deleteMember(tx: Tx, unitId: number, accountId: number): Promise<boolean> {
  const r = await tx
    .deleteFrom('unit_members')
    .where('unit_id', '=', unitId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
