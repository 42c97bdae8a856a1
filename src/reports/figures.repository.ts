import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/**
 * Figures of the monthly report read from the dossiers themselves (a period's receipts are one
 * index range per office): receipts per receiving channel, refusals at the counter, fees.
 */
export async function countReceiptsByChannel(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
) {
  if (officeIds.length === 0) return [];
  return (
    db
      .selectFrom('dossiers')
      .select(['intake_outcome', 'receiving_channel'])
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('fee_vnd').as('fees')])
      .where('office_id', 'in', officeIds)
      .where('received_at', '>=', startIso)
      .where('received_at', '<', endIso)
      // Always true (the column's check): it names the narrow index made for this count, which
      // no other query can use (migration 21). Written out, not bound: see the migration.
      .where(sql<boolean>`receiving_channel in ('counter', 'online', 'post')`)
      .groupBy(['intake_outcome', 'receiving_channel'])
      .execute()
  );
}

/** Apology letters (Form 04) issued in [startIso, endIso) by the offices. */
export async function countApologyLetters(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
): Promise<number> {
  if (officeIds.length === 0) return 0;
  const row = await db
    .selectFrom('dossier_forms')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', 'in', officeIds)
    .where('kind', '=', 'apology')
    .where('issued_at', '>=', startIso)
    .where('issued_at', '<', endIso)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
