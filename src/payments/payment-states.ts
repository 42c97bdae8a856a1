/**
 * The life of a dossier's payment. Pure.
 *
 *   due ──await──▶ pending ──pay──▶ paid ──refund──▶ refunded
 *    │  ◀──unawait──┘  
 *    ├──────────────pay─────────────▶ paid
 *    └─cancel─▶ cancelled ◀─cancel── pending
 *
 * `set_amount` (an assessment or an exemption) keeps the state. Every change is an event with who,
 * when and why; nothing is deleted. A payment with nothing due (exempt) is settled without one.
 */
export const PAYMENT_STATES = ['due', 'pending', 'paid', 'cancelled', 'refunded'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export const PAYMENT_METHODS = ['cash', 'transfer', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaymentAction = 'await' | 'unawait' | 'pay' | 'cancel' | 'refund' | 'set_amount';

const TRANSITIONS: Record<
  PaymentAction,
  { from: readonly PaymentState[]; to: PaymentState | null }
> = {
  await: { from: ['due'], to: 'pending' },
  unawait: { from: ['pending'], to: 'due' },
  pay: { from: ['due', 'pending'], to: 'paid' },
  cancel: { from: ['due', 'pending'], to: 'cancelled' },
  refund: { from: ['paid'], to: 'refunded' },
  set_amount: { from: ['due', 'pending'], to: null },
};

/** The state after an action, or null when the action is impossible from `from`. */
export function nextPaymentState(from: PaymentState, action: PaymentAction): PaymentState | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) return null;
  return t.to ?? from;
}

/** What the actions mean for the page: which ones a payment in this state offers. */
export function actionsFrom(state: PaymentState): PaymentAction[] {
  return (Object.keys(TRANSITIONS) as PaymentAction[]).filter(
    (a) => nextPaymentState(state, a) !== null,
  );
}

export interface PaymentStanding {
  state: PaymentState;
  amountDue: number | null;
}

/** Nothing left to pay: paid, or nothing due (an exempt or fee-free dossier). */
export function isSettled(p: PaymentStanding): boolean {
  return p.state === 'paid' || p.amountDue === 0;
}

/**
 * Whether a result may be returned when the office requires the fee first: settled, or cancelled
 * (the fee no longer stands, with its reason on record). A refunded fee is owed no longer either.
 * An amount still unknown (a fee by case not yet assessed) is not settled.
 */
export function allowsReturn(p: PaymentStanding): boolean {
  return isSettled(p) || p.state === 'cancelled' || p.state === 'refunded';
}
