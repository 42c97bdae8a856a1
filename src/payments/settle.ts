import type { Tx } from '../db/database.js';
import type { OfficeRow, PaymentRow, ReceiptRow } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatMoney } from '../lib/format.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { viPayments } from '../locale/vi-payments.js';
import { nextPaymentState, type PaymentAction, type PaymentMethod } from './payment-states.js';
import {
  allocateReceiptNumber,
  insertPaymentEvent,
  insertPaymentIfMissing,
  insertReceipt,
  updatePaymentAtVersion,
} from './payments.repository.js';
import { standingOf, type DossierFacts } from './standing.js';
import type { DossierExtensions } from '../dossiers/index.js';

/**
 * The writes every way of paying shares (the counter's cash, a provider's callback, a statement
 * line), each inside the caller's transaction: the payment record made when first needed, the
 * change at the version read, its event, and the receipt with the next number of the office's
 * year (docs/ARCHITECTURE.md "Payments").
 */
const E = viPayments.errors;

export interface Actor {
  accountId: number | null;
  name: string;
}

/** The dossier's payment record, created (with its first event) from what is due if missing. */
export async function ensurePayment(
  tx: Tx,
  dossier: DossierFacts,
  actor: Actor,
  nowIso: string,
): Promise<{ payment: PaymentRow; created: boolean }> {
  const standing = await standingOf(tx, dossier);
  if (standing.payment) return { payment: standing.payment, created: false };
  const result = await insertPaymentIfMissing(tx, {
    dossier_id: dossier.id,
    office_id: dossier.office_id,
    procedure_code: dossier.procedure_code,
    fee_name: standing.feeName,
    reference: dossier.code ?? '',
    base_amount: standing.baseAmount,
    amount_due: standing.amountDue,
    rule_id: null,
    amount_note: standing.amountNote,
    state: 'due',
    method: null,
    paid_amount: null,
    paid_at: null,
    paid_on: null,
    paid_by: null,
    provider: null,
    provider_txn_id: null,
    created_at: nowIso,
    updated_at: nowIso,
  });
  if (result.created)
    await insertPaymentEvent(tx, {
      payment_id: result.payment.id,
      at: nowIso,
      actor_account_id: actor.accountId,
      actor_name: actor.name,
      kind: 'created',
      from_state: null,
      to_state: 'due',
      amount: result.payment.amount_due,
      method: null,
      note: standing.amountNote,
    });
  return result;
}

/** Whether the caller saw this version: 0 means "no record yet", which a new record answers. */
export function checkVersion(
  payment: PaymentRow,
  created: boolean,
  expected: number | undefined,
): void {
  if (expected === undefined) return;
  if (expected !== (created ? 0 : payment.version))
    throw new ConflictError(E.stale, 'stale_payment');
}

/** Moves a payment by one action at the version read; the event says who, when and why. */
export async function movePayment(
  tx: Tx,
  payment: PaymentRow,
  action: PaymentAction,
  change: {
    actor: Actor;
    nowIso: string;
    note?: string;
    patch?: Parameters<typeof updatePaymentAtVersion>[3];
    kind?: string;
    details?: Record<string, unknown>;
  },
): Promise<PaymentRow> {
  const to = nextPaymentState(payment.state, action);
  if (!to)
    throw new ConflictError(
      E.transition(
        viPayments.action[action] ?? action,
        viPayments.state[payment.state] ?? payment.state,
      ),
      'invalid_payment_transition',
    );
  const updated = await updatePaymentAtVersion(tx, payment.id, payment.version, {
    ...change.patch,
    state: to,
    updated_at: change.nowIso,
  });
  if (!updated) throw new ConflictError(E.stale, 'stale_payment');
  await insertPaymentEvent(tx, {
    payment_id: payment.id,
    at: change.nowIso,
    actor_account_id: change.actor.accountId,
    actor_name: change.actor.name,
    kind: change.kind ?? (action === 'unawait' ? 'due' : to === payment.state ? action : to),
    from_state: payment.state,
    to_state: to,
    amount: updated.amount_due,
    method: updated.method,
    note: change.note ?? '',
    details: JSON.stringify(change.details ?? {}),
  });
  return updated;
}

export interface PayInput {
  method: PaymentMethod;
  amount: number;
  payerName: string;
  provider?: string;
  providerTxnId?: string;
  /** When the money arrived (a provider's time), else now. */
  paidAt?: string;
}

/** Marks a payment paid with the exact amount due and issues its receipt. */
export async function payAndIssue(
  tx: Tx,
  office: OfficeRow,
  payment: PaymentRow,
  input: PayInput,
  actor: Actor,
  now: Date,
  changes: Pick<DossierExtensions, 'onChange'>,
): Promise<{ payment: PaymentRow; receipt: ReceiptRow }> {
  if (payment.state !== 'due' && payment.state !== 'pending')
    throw new ConflictError(E.notPayable(viPayments.state[payment.state]!), 'not_payable');
  if (payment.amount_due === null) throw new ConflictError(E.amountUnknown, 'amount_unknown');
  if (payment.amount_due === 0) throw new ConflictError(E.nothingToPay, 'nothing_due');
  if (input.amount !== payment.amount_due)
    throw new ValidationError({ amount: E.amountDiffers(formatMoney(payment.amount_due)) });
  const nowIso = now.toISOString();
  const paidAt = input.paidAt ?? nowIso;
  const paid = await movePayment(tx, payment, 'pay', {
    actor,
    nowIso,
    patch: {
      method: input.method,
      paid_amount: input.amount,
      paid_at: paidAt,
      paid_on: localDateOf(new Date(paidAt)),
      paid_by: actor.accountId,
      provider: input.provider ?? null,
      provider_txn_id: input.providerTxnId ?? null,
      payer_name: input.payerName,
    },
    details: input.provider ? { provider: input.provider, txn: input.providerTxnId } : {},
  });
  const receipt = await issueReceipt(tx, office, paid, input.payerName, actor, now);
  // What follows every change of a dossier (the national portal hears the fee paid), in this
  // transaction.
  await changes.onChange(tx, {
    dossierId: paid.dossier_id,
    at: nowIso,
    actor: actor.accountId === null ? null : { id: actor.accountId, fullName: actor.name },
    action: 'fee_paid',
    from: null,
    to: null,
    details: { amount: paid.paid_amount, method: paid.method },
  });
  return { payment: paid, receipt };
}

/** A receipt with the next number of the office's year, for a paid payment. */
export async function issueReceipt(
  tx: Tx,
  office: OfficeRow,
  payment: PaymentRow,
  payerName: string,
  actor: Actor,
  now: Date,
  note = '',
): Promise<ReceiptRow> {
  const nowIso = now.toISOString();
  const issuedOn = localDateOf(now);
  const year = Number(issuedOn.slice(0, 4));
  const number = await allocateReceiptNumber(tx, office.id, year);
  const receipt = await insertReceipt(tx, {
    office_id: office.id,
    year,
    series: office.receipt_series,
    number,
    payment_id: payment.id,
    dossier_id: payment.dossier_id,
    amount: payment.paid_amount!,
    method: payment.method!,
    payer_name: payerName,
    fee_name: payment.fee_name,
    issued_at: nowIso,
    issued_on: issuedOn,
    issued_by: actor.accountId,
    issued_by_name: actor.name,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    replaced_by: null,
  });
  await insertPaymentEvent(tx, {
    payment_id: payment.id,
    at: nowIso,
    actor_account_id: actor.accountId,
    actor_name: actor.name,
    kind: 'receipt_issued',
    from_state: payment.state,
    to_state: payment.state,
    amount: receipt.amount,
    method: receipt.method,
    note,
    details: JSON.stringify({ receipt: receipt.id, series: receipt.series, number }),
  });
  return receipt;
}
