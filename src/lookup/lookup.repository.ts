import type { CompiledQuery } from 'kysely';
import { inTransaction } from '../db/transactions.js';
import type { Db } from '../db/database.js';
import type { RatingLevel } from '../db/schema.js';
import { resultFilesOfDossier } from '../files/citizen.service.js';

/**
 * All SQL on the lookup feature's tables (ratings, lookup_events), and the lookup's one read of a
 * dossier (a read model across tables, as the reports have theirs).
 */

const CODE = '\u0000code';

function lookupQuery(db: Db) {
  return (
    db
      .selectFrom('dossiers')
      .select([
        'dossiers.id',
        'dossiers.code',
        'dossiers.office_id',
        'dossiers.lookup_key_hash',
        'dossiers.procedure_name',
        'dossiers.status',
        'dossiers.applicant_name',
        'dossiers.received_at',
        'dossiers.received_on',
        'dossiers.due_at',
        'dossiers.due_explanation',
        'dossiers.rescheduled_due_at',
        'dossiers.result_at',
        'dossiers.returned_at',
        'dossiers.outcome',
        'dossiers.post_tracking_code',
        'dossiers.post_dispatched_at',
        'dossiers.post_delivered_on',
      ])
      // One query per lookup: the rating (at most one per dossier) comes along; the office comes
      // from the in-memory master data. A scalar subquery, not a LEFT JOIN: on SQLite the join
      // made the statement four times as slow (39 → 10 µs in process, docs/BENCHMARKS.md).
      .select((eb) =>
        eb
          .selectFrom('ratings')
          .select('ratings.level')
          .whereRef('ratings.dossier_id', '=', 'dossiers.id')
          .$asScalar()
          .as('ratingLevel'),
      )
      // The electronic result's downloadable files, counted as the files feature counts them.
      .select((eb) => resultFilesOfDossier(eb).as('resultFiles'))
      .where('dossiers.code', '=', CODE)
      .where('dossiers.intake_outcome', '=', 'accepted')
  );
}
export type LookupRow = Awaited<ReturnType<ReturnType<typeof lookupQuery>['executeTakeFirst']>>;

const compiledLookups = new WeakMap<Db, CompiledQuery>();

/**
 * The accepted dossier with this code and its rating, or undefined. Built and compiled once per
 * database (the citizen's lookup is the busiest read; building the query each time was a visible
 * share of its time), then run with the code as its parameter: the driver's prepared statement on
 * SQLite, a named statement on PostgreSQL.
 */
export async function findDossierByCode(db: Db, code: string): Promise<LookupRow> {
  let compiled = compiledLookups.get(db);
  if (!compiled) compiledLookups.set(db, (compiled = lookupQuery(db).compile()));
  const { rows } = await db.executeQuery<NonNullable<LookupRow>>({
    ...compiled,
    parameters: compiled.parameters.map((p) => (p === CODE ? code : p)),
  });
  return rows[0];
}

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
