/**
 * The fee figures of a period per office (docs/DOMAIN.md §10), pure. Two counts side by side:
 * - of the fee-bearing dossiers received in the period (accepted at the counter, a catalog fee
 *   that is not zero, or one by case): what is due, exempt, still to assess, still unpaid;
 * - of the money taken in the period (paid, above zero, paid on a day of the period): per method,
 *   and the share paid online (QĐ 766's online-payment rate).
 */
import type { PaymentMethod, PaymentState } from './payment-states.js';
import { PAYMENT_METHODS } from './payment-states.js';

export interface FeeDossier {
  officeId: number;
  /** What is due: the payment's amount, or the catalog and rules' before any record; null by case. */
  amountDue: number | null;
  /** The payment's state ('due' before any record). */
  state: PaymentState;
  /** How many dossiers alike this stands for (1 when not given). */
  dossiers?: number;
}

export interface Collected {
  officeId: number;
  method: PaymentMethod;
  count: number;
  amount: number;
}

type Sum = { count: number; amount: number };

export interface FeeCounts {
  /** Fee-bearing dossiers received in the period. */
  feeDossiers: number;
  /** Of those, with an amount above zero that still stands (not cancelled). */
  due: Sum;
  /** Of those, exempt: nothing due (a rule or a category the officer confirmed). */
  exempt: number;
  /** Of those, a fee by case not assessed yet. */
  toAssess: number;
  /** Of those due, not paid yet (due or pending). */
  unpaid: Sum;
  /** Of those, cancelled or refunded. */
  cancelledOrRefunded: number;
  /** Money taken in the period, per method. */
  collected: Record<PaymentMethod, Sum>;
  collectedTotal: Sum;
  /** Paid online / paid: QĐ 766's online-payment share (null when nothing was paid). */
  onlineShare: number | null;
}

const zero = (): Sum => ({ count: 0, amount: 0 });

export function emptyFeeCounts(): FeeCounts {
  return {
    feeDossiers: 0,
    due: zero(),
    exempt: 0,
    toAssess: 0,
    unpaid: zero(),
    cancelledOrRefunded: 0,
    collected: Object.fromEntries(PAYMENT_METHODS.map((m) => [m, zero()])) as Record<
      PaymentMethod,
      Sum
    >,
    collectedTotal: zero(),
    onlineShare: null,
  };
}

function add(counts: FeeCounts, d: FeeDossier): void {
  const n = d.dossiers ?? 1;
  counts.feeDossiers += n;
  if (d.state === 'cancelled' || d.state === 'refunded') {
    counts.cancelledOrRefunded += n;
    return;
  }
  if (d.amountDue === null) counts.toAssess += n;
  else if (d.amountDue === 0) counts.exempt += n;
  else {
    counts.due.count += n;
    counts.due.amount += n * d.amountDue;
    if (d.state === 'due' || d.state === 'pending') {
      counts.unpaid.count += n;
      counts.unpaid.amount += n * d.amountDue;
    }
  }
}

function share(c: FeeCounts): number | null {
  return c.collectedTotal.count === 0 ? null : c.collected.online.count / c.collectedTotal.count;
}

/** Per office (in the order given) and the total over them. */
export function tallyFees(
  officeIds: readonly number[],
  dossiers: readonly FeeDossier[],
  collected: readonly Collected[],
): { byOffice: Map<number, FeeCounts>; totals: FeeCounts } {
  const byOffice = new Map(officeIds.map((id) => [id, emptyFeeCounts()]));
  const totals = emptyFeeCounts();
  for (const d of dossiers) {
    const c = byOffice.get(d.officeId);
    if (!c) continue;
    add(c, d);
    add(totals, d);
  }
  for (const r of collected) {
    const c = byOffice.get(r.officeId);
    if (!c) continue;
    for (const target of [c, totals]) {
      target.collected[r.method].count += r.count;
      target.collected[r.method].amount += r.amount;
      target.collectedTotal.count += r.count;
      target.collectedTotal.amount += r.amount;
    }
  }
  for (const c of [...byOffice.values(), totals]) c.onlineShare = share(c);
  return { byOffice, totals };
}
