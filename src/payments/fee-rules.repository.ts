import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { FeeRuleRow, FeeRuleTable } from '../db/schema.js';

/** The fee rules' administration: every rule, a new one, a rule switched on or off. */
export async function findAllFeeRules(db: Db): Promise<FeeRuleRow[]> {
  return db
    .selectFrom('fee_rules')
    .selectAll()
    .orderBy('procedure_code')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function findFeeRuleById(db: Db | Tx, id: number): Promise<FeeRuleRow | undefined> {
  return db.selectFrom('fee_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function nextRulePosition(tx: Tx, procedureCode: string): Promise<number> {
  const row = await tx
    .selectFrom('fee_rules')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('procedure_code', '=', procedureCode)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

export async function insertFeeRule(tx: Tx, row: Insertable<FeeRuleTable>): Promise<number> {
  const inserted = await tx
    .insertInto('fee_rules')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function setFeeRuleActive(
  tx: Tx,
  id: number,
  active: boolean,
  nowIso: string,
): Promise<void> {
  await tx
    .updateTable('fee_rules')
    .set({ active: active ? 1 : 0, updated_at: nowIso })
    .where('id', '=', id)
    .execute();
}
