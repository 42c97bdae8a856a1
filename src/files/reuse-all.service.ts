import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { DossierRow } from '../db/schema.js';
import { inTransaction } from '../db/transactions.js';
import { ConflictError } from '../errors.js';
import { REFUSALS, writeReuse } from './attach.service.js';
import { attachRefusal } from './file-access.js';
import { componentsOf } from './files-view.service.js';
import { reusableFor, type ReuseCandidate } from './reuse.service.js';

/**
 * One key press at the counter (docs/DOMAIN.md §11, reuse): every component of the dossier that
 * has no file yet and for which the applicant has a digitised paper still valid gets that paper
 * (the most recently digitised), in one transaction, without copying bytes. Components already
 * scanned, reused or kept on paper are left as they are. Returns the names of those filled.
 */
export async function reuseAllOffered(
  ctx: AppContext,
  account: CurrentAccount,
  dossier: DossierRow,
): Promise<string[]> {
  const refusal = attachRefusal(account, dossier, 'document');
  if (refusal) throw new ConflictError(REFUSALS[refusal], refusal);
  if (!dossier.personal_id) return [];
  const { components } = await componentsOf(ctx, dossier);
  const open = components.filter((c) => c.state === 'none');
  if (!open.length) return [];
  const offered = await reusableFor(ctx, account, {
    personalId: dossier.personal_id,
    documents: open.map((c) => ({ key: c.key, name: c.name })),
    exceptDossierId: dossier.id,
  });
  const latest = (list: ReuseCandidate[]) =>
    [...list].sort((a, b) => b.digitisedAt.localeCompare(a.digitisedAt))[0];
  const chosen = open.flatMap((c) => {
    const source = latest(offered[c.key] ?? []);
    return source ? [{ component: { key: c.key, name: c.name }, source }] : [];
  });
  if (!chosen.length) return [];
  const nowIso = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (tx) => {
    for (const { component, source } of chosen)
      await writeReuse(tx, dossier.id, component, account.id, nowIso, source);
  });
  return chosen.map((c) => c.component.name);
}
