import { inTransaction } from '../db/transactions.js';
import type { Db } from '../db/database.js';
import type { RatingLevel } from '../db/schema.js';

/** All SQL on the lookup feature's tables: ratings and lookup_events. */

/** Inserts the rating; false when the dossier was rated already (unique per dossier). */
export async function insertRating(
  db: Db,
  rating: { dossier_id: number; level: RatingLevel; comment: string; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('ratings')
    .values(rating)
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Appends counted lookups (code, time, hit or miss, channel) in one transaction. */
export async function insertLookupEvents(
  db: Db,
  events: { at: string; code: string; hit: boolean; channel: 'page' | 'api' }[],
): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (let i = 0; i < events.length; i += 200) {
      await tx
        .insertInto('lookup_events')
        .values(
          events
            .slice(i, i + 200)
            .map((e) => ({ at: e.at, code: e.code, hit: e.hit ? 1 : 0, channel: e.channel })),
        )
        .execute();
    }
  });
}

export async function countLookupEventsBefore(db: Db, beforeIso: string): Promise<number> {
  return Number(
    (
      await db
        .selectFrom('lookup_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('at', '<', beforeIso)
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export async function deleteLookupEventsBefore(db: Db, beforeIso: string): Promise<number> {
  return Number(
    (await db.deleteFrom('lookup_events').where('at', '<', beforeIso).executeTakeFirst())
      .numDeletedRows,
  );
}
