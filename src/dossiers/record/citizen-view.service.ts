import type { Deps } from '../../context.js';
import type { RatingLevel } from '../../db/schema.js';
import { findDossierForLookup, findLatestSupplementRequest } from './dossiers.repository.js';

/**
 * Reads of a dossier for the citizen page (the lookup feature): by code, with its office and
 * rating, and what the office asked the citizen to bring. The key check and the whitelist of what
 * may be shown are the lookup feature's.
 */
export type DossierForCitizen = NonNullable<Awaited<ReturnType<typeof findDossierForLookup>>> & {
  ratingLevel: RatingLevel | null;
};

export async function findDossierForCitizen(
  ctx: Deps<'readDb'>,
  code: string,
): Promise<DossierForCitizen | undefined> {
  return (await findDossierForLookup(ctx.readDb, code)) as DossierForCitizen | undefined;
}

export function latestSupplementRequest(
  ctx: Deps<'readDb'>,
  dossierId: number,
): Promise<string | null> {
  return findLatestSupplementRequest(ctx.readDb, dossierId);
}
