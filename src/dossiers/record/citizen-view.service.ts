import type { Deps } from '../../context.js';
import { findLatestSupplementRequest } from './dossiers.repository.js';

/**
 * What the office asked the citizen to bring, for the citizen page (the lookup feature reads the
 * dossier by its code on its own lean path; the key check and what may be shown are its own).
 */
export function latestSupplementRequest(
  ctx: Deps<'readDb'>,
  dossierId: number,
): Promise<string | null> {
  return findLatestSupplementRequest(ctx.readDb, dossierId);
}
