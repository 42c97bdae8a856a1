import { sql } from 'kysely';
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
  /** How many dossiers have these values. */
  dossiers: number;
}

/**
 * Accepted dossiers received on local days from..to whose catalog fee is not zero, counted per
 * office, procedure, fee, channel and payment record: a few hundred rows for a month of 20 offices
 * rather than 28,000 (docs/BENCHMARKS.md "Fifth round"). The dossiers are read from the board's
 * index, which carries these columns (migration 30).
 */
export async function findFeeDossiers(
  db: Db,
  officeIds: number[],
  from: string,
  to: string,
): Promise<FeeDossierRow[]> {
  if (officeIds.length === 0) return [];
  const hasPayment = sql<number>`case when p.id is null then 0 else 1 end`;
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
    .select(hasPayment.as('has_payment'))
    .select((eb) => eb.fn.countAll<number | string>().as('dossiers'))
    .where('d.office_id', 'in', officeIds)
    .where('d.received_on', '>=', from)
    .where('d.received_on', '<=', to)
    .where('d.intake_outcome', '=', 'accepted')
    .where((eb) => eb.or([eb('d.fee_vnd', 'is', null), eb('d.fee_vnd', '>', 0)]))
    .groupBy([
      'd.office_id',
      'd.procedure_code',
      'd.fee_vnd',
      'd.receiving_channel',
      'p.state',
      'p.amount_due',
      hasPayment,
    ])
    .orderBy('d.office_id')
    .orderBy('d.procedure_code')
    .execute();
  return rows.map((r) => ({
    ...r,
    has_payment: Number(r.has_payment),
    dossiers: Number(r.dossiers),
  }));
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
