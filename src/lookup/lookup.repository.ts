import type { Kysely } from 'kysely';
import type { Database, RatingLevel } from '../db/schema.js';

type Db = Kysely<Database>;

export async function findDossierForLookup(db: Db, code: string) {
  return db
    .selectFrom('dossiers')
    .innerJoin('offices', 'offices.id', 'dossiers.office_id')
    // One query per lookup: the rating (at most one per dossier) comes along.
    .leftJoin('ratings', 'ratings.dossier_id', 'dossiers.id')
    .select([
      'dossiers.id',
      'dossiers.code',
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
      'offices.name as officeName',
      'offices.address as officeAddress',
      'offices.phone as officePhone',
      'offices.opening_hours as officeHours',
      'ratings.level as ratingLevel',
    ])
    .where('dossiers.code', '=', code)
    .where('dossiers.intake_outcome', '=', 'accepted')
    .executeTakeFirst();
}

/** What the office asked the citizen to bring, from the newest supplement request. */
export async function findLatestSupplementRequest(db: Db, dossierId: number): Promise<string | null> {
  const row = await db
    .selectFrom('dossier_events')
    .select('details')
    .where('dossier_id', '=', dossierId)
    .where('action', '=', 'request_supplement')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const details = JSON.parse(row.details) as { documents?: string };
  return details.documents ?? null;
}

/** Inserts the rating; false when the dossier was rated already (unique per dossier). */
export async function insertRating(db: Db, rating: { dossier_id: number; level: RatingLevel; comment: string; at: string }): Promise<boolean> {
  const result = await db.insertInto('ratings').values(rating).onConflict((oc) => oc.column('dossier_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
