import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/**
 * Figures of the monthly report read from the dossiers themselves: the period's receipts that
 * were not the plain case (accepted at the counter with no fee), per outcome and receiving
 * channel, with their fees. The plain case is the counters' `received` less the other channels
 * (periodFigures); this count reads only the others, one index range per office.
 */
export async function countReceiptsBeyondTheCounter(
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
      // The partial index's own condition, written out word for word (migration 36): SQLite
      // proves a partial index from literal terms only.
      .where(
        sql<boolean>`(receiving_channel <> 'counter' or intake_outcome = 'refused' or fee_vnd > 0)`,
      )
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
