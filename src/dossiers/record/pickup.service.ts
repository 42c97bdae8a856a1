import type { Deps } from '../../context.js';
import { findDossierByCode } from './dossiers.repository.js';

/**
 * The dossier a result pickup ticket names: the office's, with a code (`null` otherwise), and
 * whether its result waits to be handed over.
 */
export async function dossierForPickup(
  ctx: Deps<'db'>,
  officeId: number,
  code: string,
): Promise<{ id: number; code: string; ready: boolean } | null> {
  const dossier = /^[\w.-]{5,40}$/.test(code)
    ? await findDossierByCode(ctx.db, code.toUpperCase())
    : undefined;
  return dossier && dossier.office_id === officeId && dossier.code
    ? { id: dossier.id, code: dossier.code, ready: dossier.status === 'result_ready' }
    : null;
}
