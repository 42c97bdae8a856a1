import type { Db } from '../db/database.js';
import type { FeeRuleRow } from '../db/schema.js';

/**
 * The reads of the report's fee section (docs/DOMAIN.md §10): the fee-bearing dossiers received
 * in a period with their payment record if any, the money taken per office and method, and the
 * fee rules of some procedures.
 */

export interface FeeDossierRow {
  office_id: number;
  procedure_code: string;
  fee_vnd: number | null;
  receiving_channel: string;
  payment_state: string | null;
  payment_amount_due: number | null;
  has_payment: number;
}

/** Accepted dossiers received on local days from..to whose catalog fee is not zero. */
export async function findFeeDossiers(
  db: Db,
  officeIds: number[],
  from: string,
  to: string,
): Promise<FeeDossierRow[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('dossiers as d')
    .leftJoin('payments as p', 'p.dossier_id', 'd.id')
    .select([
      'd.office_id',
      'd.procedure_code',
      'd.fee_vnd',
      'd.receiving_channel',
      'p.state as payment_state',
      'p.amount_due as payment_amount_due',
    ])
    .select((eb) => eb.case().when('p.id', 'is', null).then(0).else(1).end().as('has_payment'))
    .where('d.office_id', 'in', officeIds)
    .where('d.received_on', '>=', from)
    .where('d.received_on', '<=', to)
    .where('d.intake_outcome', '=', 'accepted')
    .where((eb) => eb.or([eb('d.fee_vnd', 'is', null), eb('d.fee_vnd', '>', 0)]))
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({ ...r, has_payment: Number(r.has_payment) }));
}

/** Fees paid (above zero) on local days from..to, per office and method. */
export async function findCollectedByOffice(
  db: Db,
  officeIds: number[],
  from: string,
  to: string,
): Promise<{ office_id: number; method: string; count: number; amount: number }[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('payments')
    .select((eb) => [
      'office_id',
      'method',
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number>('paid_amount').as('amount'),
    ])
    .where('office_id', 'in', officeIds)
    .where('state', '=', 'paid')
    .where('paid_on', '>=', from)
    .where('paid_on', '<=', to)
    .where('paid_amount', '>', 0)
    .groupBy(['office_id', 'method'])
    .orderBy('office_id')
    .orderBy('method')
    .execute();
  return rows.map((r) => ({
    office_id: r.office_id,
    method: r.method ?? 'cash',
    count: Number(r.count),
    amount: Number(r.amount),
  }));
}

export async function findFeeRulesOf(db: Db, procedureCodes: string[]): Promise<FeeRuleRow[]> {
  if (procedureCodes.length === 0) return [];
  return db
    .selectFrom('fee_rules')
    .selectAll()
    .where('procedure_code', 'in', procedureCodes)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
