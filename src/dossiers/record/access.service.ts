import type { CurrentAccount } from '../../current-account.js';
import type { Deps } from '../../context.js';
import type { DossierRow } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import { accessibleOfficeIds } from '../../office-scope.js';
import { findDossierByRef } from './dossiers.repository.js';

/**
 * Loads a dossier (by code or id) the account may see. Another office's dossier is "not found"
 * exactly like a missing one, so codes of other offices cannot be probed (the policy's office
 * scope, asked first by every page and action).
 */
export async function loadAccessibleDossier(
  deps: Deps<'db' | 'masterData'>,
  account: CurrentAccount,
  ref: string,
): Promise<DossierRow> {
  const dossier = await findDossierByRef(deps.db, ref);
  if (!dossier) throw new NotFoundError(vi.dossiers.errors.notFound, 'dossier_not_found');
  const offices = await accessibleOfficeIds(deps, account);
  if (!offices.includes(dossier.office_id))
    throw new NotFoundError(vi.dossiers.errors.notFound, 'dossier_not_found');
  return dossier;
}
