import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../http/auth.js';
import { findAllOffices, findOfficeSubtreeIds } from './offices.repository.js';

/**
 * Which offices' dossiers an account may see and act on: an officer its own office, a supervisor
 * its office and the offices under it, an administrator all of them.
 */
export async function accessibleOfficeIds(ctx: AppContext, account: CurrentAccount): Promise<number[]> {
  if (account.role === 'admin') return (await findAllOffices(ctx.db)).map((o) => o.id);
  if (account.role === 'supervisor') return findOfficeSubtreeIds(ctx.db, account.officeId);
  return [account.officeId];
}
