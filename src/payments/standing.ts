import type { Db } from '../db/database.js';
import type { DossierRow, FeeRuleRow, OfficeRow, PaymentRow } from '../db/schema.js';
import { viPayments } from '../locale/vi-payments.js';
import { feeDue, type Channel, type FeeRule } from './fee-rules.js';
import { allowsReturn, isSettled, type PaymentState } from './payment-states.js';
import { findFeeRules, findPaymentOfDossier } from './payments.repository.js';
import { encodeVietQr, purposeFor } from './vietqr.js';

/**
 * Where a dossier stands with its fee: its payment record, or (before anything was recorded) what
 * the catalog and the fee rules say is due. Imports nothing from src/dossiers, so the dossiers'
 * workflow may call it (the return gate) without an import cycle.
 */
export type DossierFacts = Pick<
  DossierRow,
  | 'id'
  | 'code'
  | 'office_id'
  | 'procedure_code'
  | 'procedure_name'
  | 'fee_vnd'
  | 'receiving_channel'
  | 'intake_outcome'
>;

export interface Standing {
  payment: PaymentRow | null;
  state: PaymentState;
  /** null: a fee by case an officer has not assessed yet. */
  amountDue: number | null;
  baseAmount: number | null;
  /** Why the amount is what it is (a rule's label or the officer's basis), or ''. */
  amountNote: string;
  feeName: string;
  rules: FeeRuleRow[];
  settled: boolean;
  allowsReturn: boolean;
}

export function feeNameOf(procedureName: string): string {
  return viPayments.feeName(procedureName);
}

export async function standingOf(db: Db, dossier: DossierFacts): Promise<Standing> {
  const [payment, rules] = await Promise.all([
    findPaymentOfDossier(db, dossier.id),
    findFeeRules(db, dossier.procedure_code),
  ]);
  if (payment) {
    const standing = { state: payment.state, amountDue: payment.amount_due };
    return {
      payment,
      ...standing,
      baseAmount: payment.base_amount,
      amountNote: payment.amount_note,
      feeName: payment.fee_name,
      rules,
      settled: isSettled(standing),
      allowsReturn: allowsReturn(standing),
    };
  }
  const due = feeDue(rules as FeeRule[], {
    procedureCode: dossier.procedure_code,
    baseFee: dossier.fee_vnd,
    channel: dossier.receiving_channel as Channel,
    categories: [],
  });
  // A dossier not accepted at the counter (no code) owes nothing.
  const amountDue = dossier.code ? due.amount : 0;
  const standing = { state: 'due' as const, amountDue };
  return {
    payment: null,
    ...standing,
    baseAmount: due.base,
    amountNote: due.rule?.label ?? '',
    feeName: feeNameOf(dossier.procedure_name),
    rules,
    settled: isSettled(standing),
    allowsReturn: allowsReturn(standing),
  };
}

export interface Beneficiary {
  bankBin: string;
  accountNo: string;
  accountName: string;
  illustrative: boolean;
}

/** The office's beneficiary, when all three parts are set. */
export function beneficiaryOf(office: OfficeRow): Beneficiary | null {
  const { payment_bank_bin: bin, payment_account_no: no, payment_account_name: name } = office;
  if (!bin || !no || !name) return null;
  return {
    bankBin: bin,
    accountNo: no,
    accountName: name,
    illustrative: office.payment_illustrative === 1,
  };
}

/**
 * The dynamic VietQR of a dossier's fee: the exact amount, the dossier code as bill number and
 * the compact code as purpose. Null when nothing is to be paid by transfer now, or the office has
 * no beneficiary.
 */
export function vietQrFor(
  office: OfficeRow,
  dossierCode: string | null,
  standing: Pick<Standing, 'state' | 'amountDue'>,
): string | null {
  const beneficiary = beneficiaryOf(office);
  if (!beneficiary || !dossierCode) return null;
  if (standing.state !== 'due' && standing.state !== 'pending') return null;
  if (!standing.amountDue) return null;
  return encodeVietQr({
    bankBin: beneficiary.bankBin,
    account: beneficiary.accountNo,
    amount: standing.amountDue,
    billNumber: dossierCode.length <= 25 ? dossierCode : undefined,
    purpose: purposeFor(dossierCode),
  });
}
