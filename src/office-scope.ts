import type { Deps } from './context.js';
import type { CurrentAccount } from './current-account.js';

/**
 * Part of the shared kernel, beside the signed-in account: every feature that shows an office's
 * records asks it, and it needs only the master data.
 *
 * Which offices' dossiers an account may see and act on: an officer its own office, a supervisor
 * its office and the offices under it, an administrator all of them.
 */
export async function accessibleOfficeIds(
  deps: Deps<'masterData'>,
  account: CurrentAccount,
): Promise<number[]> {
  if (account.role === 'officer') return [account.officeId];
  const all = await deps.masterData.offices();
  if (account.role === 'admin') return all.map((o) => o.id);
  return subtreeIds(all, account.officeId);
}

/** An office and every office below it (communes under a district), by walking the tree. */
export function subtreeIds(
  all: { id: number; parent_id: number | null }[],
  rootId: number,
): number[] {
  const ids = [rootId];
  for (let i = 0; i < ids.length; i++) {
    for (const o of all) if (o.parent_id === ids[i] && !ids.includes(o.id)) ids.push(o.id);
  }
  return ids;
}
