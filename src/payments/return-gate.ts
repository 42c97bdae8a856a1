import type { Deps } from '../context.js';
import { ConflictError } from '../errors.js';
import { formatMoney } from '../lib/format.js';
import { viPayments } from '../locale/vi-payments.js';
import { standingOf, type DossierFacts } from './standing.js';

/**
 * The office's rule "no result before the fee is paid" (docs/DOMAIN.md §10): throws a conflict
 * with a clear message (how to take the payment) when the office requires it and the dossier
 * still owes its fee. Called by the dossiers' `return_result` action; imports nothing from
 * src/dossiers, so no import cycle.
 */
export async function assertFeeAllowsReturn(
  ctx: Deps<'db' | 'masterData'>,
  dossier: DossierFacts,
): Promise<void> {
  const office = (await ctx.masterData.offices()).find((o) => o.id === dossier.office_id);
  if (!office || office.payment_required_before_return !== 1) return;
  const standing = await standingOf(ctx.db, dossier);
  if (standing.allowsReturn) return;
  const owed =
    standing.amountDue === null ? viPayments.amountNotAssessed : formatMoney(standing.amountDue);
  throw new ConflictError(viPayments.errors.returnRefused(owed), 'fee_unpaid');
}
