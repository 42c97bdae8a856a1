import { z } from 'zod';
import { viPayments } from '../locale/vi-payments.js';
import { foldVietnamese } from '../lib/fold.js';
import { field, type FormField } from '../validation.js';

/**
 * The office's payment settings, fields of the office form (the payments read these columns):
 * the VietQR beneficiary (bank BIN, account, name as the bank writes it), whether it is an
 * illustration, the rule "no result before the fee is paid", and the receipts' series.
 */
const E = viPayments.errors;
const L = viPayments.office;

const optional = (pattern: RegExp, message: string, normalise: (v: string) => string = (v) => v) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? normalise(v.trim()) : ''),
    z.string().refine((v) => v === '' || pattern.test(v), message),
  );

export const paymentOfficeFields = [
  {
    name: 'payment_bank_bin',
    label: L.bankBin,
    hint: L.bankBinHint,
    schema: optional(/^\d{6}$/, E.binInvalid),
  },
  {
    name: 'payment_account_no',
    label: L.accountNo,
    schema: optional(/^[0-9A-Za-z]{1,19}$/, E.accountInvalid, (v) => v.replace(/[\s.-]/g, '')),
  },
  {
    name: 'payment_account_name',
    label: L.accountName,
    hint: L.accountNameHint,
    schema: optional(/^[A-Z0-9 .,&()-]{1,70}$/, E.accountNameInvalid, (v) =>
      foldVietnamese(v).toUpperCase(),
    ),
  },
  { name: 'payment_illustrative', label: L.illustrative, type: 'checkbox', schema: field.checkbox },
  {
    name: 'payment_required_before_return',
    label: L.requiredBeforeReturn,
    type: 'checkbox',
    schema: field.checkbox,
  },
  {
    name: 'receipt_series',
    label: L.receiptSeries,
    hint: L.receiptSeriesHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : 'BL'),
      z.string().regex(/^[0-9A-Z/-]{1,12}$/, E.seriesInvalid),
    ),
  },
] as const satisfies readonly FormField[];

interface PaymentSettingsInput {
  payment_bank_bin: string;
  payment_account_no: string;
  payment_account_name: string;
  payment_illustrative: boolean;
  payment_required_before_return: boolean;
  receipt_series: string;
}

/** All three parts of the beneficiary, or none. */
export function beneficiaryComplete(v: PaymentSettingsInput): boolean {
  const parts = [v.payment_bank_bin, v.payment_account_no, v.payment_account_name];
  return parts.every(Boolean) || parts.every((p) => !p);
}
export const beneficiaryIncomplete = {
  message: E.beneficiaryIncomplete,
  path: ['payment_bank_bin'],
};

/** The columns of offices the settings write ('' for a cleared beneficiary, never null again). */
export function paymentSettingsOf(v: PaymentSettingsInput) {
  return {
    payment_bank_bin: v.payment_bank_bin,
    payment_account_no: v.payment_account_no,
    payment_account_name: v.payment_account_name,
    payment_illustrative: v.payment_illustrative ? 1 : 0,
    payment_required_before_return: v.payment_required_before_return ? 1 : 0,
    receipt_series: v.receipt_series,
  };
}
