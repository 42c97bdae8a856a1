import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { actorOf } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Tx } from '../db/database.js';
import { inTransaction } from '../db/transactions.js';
import type { OfficeRow, PaymentRow, ReceiptRow } from '../db/schema.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { loose, parseInput } from '../validation.js';
import { categoriesFor, feeDue, type Channel, type FeeRule } from './fee-rules.js';
import { actionsFrom } from './payment-states.js';
import {
  cancelReceiptRow,
  findDossierForPayment,
  findPaymentEvents,
  findPaymentOfDossier,
  findReceiptById,
  findReceiptsOfPayment,
  setReceiptReplacement,
  type DossierForPayment,
} from './payments.repository.js';
import {
  checkVersion,
  ensurePayment,
  issueReceipt,
  movePayment,
  payAndIssue,
  type Actor,
} from './settle.js';
import { beneficiaryOf, standingOf, vietQrFor } from './standing.js';

const E = vi.payments.errors;
const actorFor = (account: CurrentAccount): Actor => ({
  accountId: account.id,
  name: account.fullName,
});

/** A dossier the account may see (another office's is "not found", like a missing one). */
export async function loadDossier(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
): Promise<DossierForPayment> {
  const dossier = await findDossierForPayment(ctx.db, ref);
  if (!dossier || !(await accessibleOfficeIds(ctx, account)).includes(dossier.office_id))
    throw new NotFoundError(vi.dossiers.errors.notFound, 'dossier_not_found');
  return dossier;
}

async function officeOf(ctx: AppContext, id: number): Promise<OfficeRow> {
  const office = (await ctx.masterData.offices()).find((o) => o.id === id);
  if (!office) throw new NotFoundError();
  return office;
}

/** Everything the payment page and the API show of a dossier's fee. */
export async function paymentOverview(ctx: AppContext, account: CurrentAccount, ref: string) {
  const dossier = await loadDossier(ctx, account, ref);
  const office = await officeOf(ctx, dossier.office_id);
  const standing = await standingOf(ctx.db, dossier);
  const [events, receipts] = standing.payment
    ? await Promise.all([
        findPaymentEvents(ctx.db, standing.payment.id),
        findReceiptsOfPayment(ctx.db, standing.payment.id),
      ])
    : [[], []];
  return {
    dossier,
    office,
    standing,
    beneficiary: beneficiaryOf(office),
    vietqr: vietQrFor(office, dossier.code, standing),
    events,
    receipts,
    actions: dossier.code ? actionsFrom(standing.state) : [],
    categories: categoriesFor(standing.rules as FeeRule[], dossier.procedure_code),
    version: standing.payment?.version ?? 0,
  };
}

const versionField = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, c) => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      c.addIssue({ code: 'custom', message: vi.dossiers.errors.versionRequired });
      return z.NEVER;
    }
    return n;
  });
const amountField = z.union([z.string(), z.number()]).transform((v, c) => {
  const text = String(v).replace(/[.\s,₫đ]/g, '');
  if (!/^\d{1,12}$/.test(text)) {
    c.addIssue({ code: 'custom', message: E.amountInvalid });
    return z.NEVER;
  }
  return Number(text);
});

/** Cash at the counter (page form and `POST /api/v1/dossiers/:ref/payments`). */
export const cashInputSchema = z.object({
  amount: amountField.describe('Whole dong (VND); must equal the amount due'),
  payer_name: loose.text(100).describe('Who paid (default: the applicant)'),
  version: versionField.describe('The payment’s version as read (0: no record yet); optional'),
});

async function write<T>(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  expectedVersion: number | undefined,
  act: (tx: Tx, p: PaymentRow, o: OfficeRow) => Promise<T>,
): Promise<T> {
  const dossier = await loadDossier(ctx, account, ref);
  if (!dossier.code) throw new ConflictError(E.noCode, 'no_code');
  const office = await officeOf(ctx, dossier.office_id);
  const nowIso = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (tx) => {
    const { payment, created } = await ensurePayment(tx, dossier, actorFor(account), nowIso);
    checkVersion(payment, created, expectedVersion);
    return act(tx, payment, office);
  });
}

export async function recordCash(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<{ payment: PaymentRow; receipt: ReceiptRow }> {
  const input = parseInput(cashInputSchema, raw);
  const dossier = await loadDossier(ctx, account, ref);
  const payerName = input.payer_name || dossier.applicant_name;
  return write(ctx, account, ref, input.version, (tx, payment, office) =>
    payAndIssue(
      tx,
      office,
      payment,
      { method: 'cash', amount: input.amount, payerName },
      actorFor(account),
      ctx.clock.now(),
      ctx.dossierExtensions,
    ),
  );
}

const versionOnly = z.object({ version: versionField });
const reasonSchema = z.object({
  version: versionField,
  reason: loose.text(500).refine((v) => v.length > 0, E.reasonRequired),
});

/** The citizen is paying by transfer now (the QR scanned): pending until it is confirmed. */
export async function awaitTransfer(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
  back = false,
): Promise<PaymentRow> {
  const input = parseInput(versionOnly, raw);
  return write(ctx, account, ref, input.version, (tx, payment) =>
    movePayment(tx, payment, back ? 'unawait' : 'await', {
      actor: actorFor(account),
      nowIso: ctx.clock.now().toISOString(),
    }),
  );
}

const amountSchema = z.object({
  version: versionField,
  category: loose.text(40),
  amount: z.union([z.string(), z.number()]).optional(),
  basis: loose.text(500),
});

/**
 * Sets what is due: a payer category the office's rules exempt or reduce (the officer confirms
 * the proof), or, for a fee by case, the amount and its basis (the fee schedule, the vehicle).
 */
export async function setAmount(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<PaymentRow> {
  const input = parseInput(amountSchema, raw, ['basis']);
  const dossier = await loadDossier(ctx, account, ref);
  return write(ctx, account, ref, input.version, async (tx, payment) => {
    const standing = await standingOf(tx, dossier);
    let patch: { amount_due: number; rule_id: number | null; amount_note: string };
    if (input.category) {
      const due = feeDue(standing.rules as FeeRule[], {
        procedureCode: dossier.procedure_code,
        baseFee: payment.base_amount,
        channel: dossier.receiving_channel as Channel,
        categories: [input.category],
      });
      if (!due.rule || due.rule.category !== input.category || due.amount === null)
        throw new ValidationError({ category: E.ruleInvalid });
      patch = { amount_due: due.amount, rule_id: due.rule.id, amount_note: due.rule.label };
    } else {
      if (payment.base_amount !== null) throw new ValidationError({ category: E.ruleInvalid });
      const amount = amountField.safeParse(input.amount ?? '');
      const errors: Record<string, string> = {};
      if (!amount.success) errors.amount = E.amountInvalid;
      if (!input.basis) errors.basis = E.basisRequired;
      if (Object.keys(errors).length || !amount.success) throw new ValidationError(errors);
      patch = { amount_due: amount.data, rule_id: null, amount_note: input.basis };
    }
    return movePayment(tx, payment, 'set_amount', {
      actor: actorFor(account),
      nowIso: ctx.clock.now().toISOString(),
      note: patch.amount_note,
      patch,
      kind: 'amount_set',
    });
  });
}

function requireSupervisor(account: CurrentAccount): void {
  if (account.role === 'officer') throw new ForbiddenError();
}

/** Cancels a fee that no longer stands (a supervisor, with the reason). */
export async function cancelPayment(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<PaymentRow> {
  requireSupervisor(account);
  const input = parseInput(reasonSchema, raw, ['reason']);
  const now = ctx.clock.now();
  return write(ctx, account, ref, input.version, async (tx, payment) => {
    const moved = await movePayment(tx, payment, 'cancel', {
      actor: actorFor(account),
      nowIso: now.toISOString(),
      note: input.reason,
      patch: { closed_reason: input.reason },
    });
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'payment.cancelled',
      subject: payment.reference,
      details: { reason: input.reason },
    });
    return moved;
  });
}

/** Pays the money back (a supervisor, with the reason): the receipt is cancelled with it. */
export async function refundPayment(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<PaymentRow> {
  requireSupervisor(account);
  const input = parseInput(reasonSchema, raw, ['reason']);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  return write(ctx, account, ref, input.version, async (tx, payment) => {
    const moved = await movePayment(tx, payment, 'refund', {
      actor: actorFor(account),
      nowIso,
      note: input.reason,
      patch: { closed_reason: input.reason },
    });
    for (const r of await findReceiptsOfPayment(tx, payment.id))
      if (r.state === 'valid')
        await cancelReceiptRow(tx, r.id, {
          cancelled_at: nowIso,
          cancelled_by: account.id,
          cancel_reason: vi.payments.refundReason(input.reason),
        });
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'payment.refunded',
      subject: payment.reference,
      details: { reason: input.reason, amount: payment.paid_amount },
    });
    return moved;
  });
}

const receiptCancelSchema = z.object({
  reason: loose.text(500).refine((v) => v.length > 0, E.reasonRequired),
  payer_name: loose.text(100),
});

/**
 * Cancels a receipt (a wrong payer's name, a spoilt print): it stays, marked with its reason, and
 * the payment gets a new receipt with the next number.
 */
export async function cancelReceipt(
  ctx: AppContext,
  account: CurrentAccount,
  receiptId: number,
  raw: unknown,
): Promise<{ cancelled: ReceiptRow; replacement: ReceiptRow }> {
  requireSupervisor(account);
  const input = parseInput(receiptCancelSchema, raw, ['reason']);
  const receipt = await findReceiptById(ctx.db, receiptId);
  if (!receipt || !(await accessibleOfficeIds(ctx, account)).includes(receipt.office_id))
    throw new NotFoundError(E.receiptNotFound, 'receipt_not_found');
  const office = await officeOf(ctx, receipt.office_id);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  return inTransaction(ctx.db, async (tx) => {
    const standing = (await findPaymentOfDossier(tx, receipt.dossier_id))!;
    if (standing.state !== 'paid')
      throw new ConflictError(E.notPayable(vi.payments.state[standing.state]!), 'not_paid');
    if (
      !(await cancelReceiptRow(tx, receipt.id, {
        cancelled_at: nowIso,
        cancelled_by: account.id,
        cancel_reason: input.reason,
      }))
    )
      throw new ConflictError(E.receiptCancelled, 'receipt_cancelled');
    const payerName = input.payer_name || receipt.payer_name;
    const replacement = await issueReceipt(
      tx,
      office,
      standing,
      payerName,
      actorFor(account),
      now,
      vi.payments.replaces(receipt.series, receipt.number, input.reason),
    );
    await setReceiptReplacement(tx, receipt.id, replacement.id);
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'receipt.cancelled',
      subject: `${receipt.series}/${receipt.year}/${receipt.number}`,
      details: { reason: input.reason, replacement: replacement.number },
    });
    return { cancelled: { ...receipt, state: 'cancelled' as const }, replacement };
  });
}

/** A receipt with what its A5 page prints, for an account that may see its office. */
export async function receiptForPrint(ctx: AppContext, account: CurrentAccount, id: number) {
  const receipt = await findReceiptById(ctx.db, id);
  if (!receipt || !(await accessibleOfficeIds(ctx, account)).includes(receipt.office_id))
    throw new NotFoundError(E.receiptNotFound, 'receipt_not_found');
  const dossier = (await findDossierForPayment(ctx.db, String(receipt.dossier_id)))!;
  const office = await officeOf(ctx, receipt.office_id);
  const offices = await ctx.masterData.offices();
  const parent = office.parent_id ? (offices.find((o) => o.id === office.parent_id) ?? null) : null;
  return { receipt, dossier, office, parentOffice: parent };
}
