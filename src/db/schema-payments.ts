import type { Generated, Selectable } from 'kysely';

/** Fees and payments (migration 24): rules, payments and their events, receipts, reconciliation. */
type IsoInstant = string;
type LocalDate = string;

export interface FeeRuleTable {
  id: Generated<number>;
  code: string;
  procedure_code: string;
  /** '' for a rule without a payer category (e.g. the online rate). */
  category: Generated<string>;
  channel: 'counter' | 'online' | 'post' | null;
  amount_vnd: number;
  label: string;
  legal_basis: Generated<string>;
  active: Generated<number>;
  position: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export type PaymentStateColumn = 'due' | 'pending' | 'paid' | 'cancelled' | 'refunded';
export type PaymentMethodColumn = 'cash' | 'transfer' | 'online';

export interface PaymentTable {
  id: Generated<number>;
  dossier_id: number;
  office_id: number;
  procedure_code: string;
  fee_name: string;
  reference: string;
  /** The catalog's fee at intake; null: it depends on the case. */
  base_amount: number | null;
  /** What must be paid; null until an officer assesses a fee by case. */
  amount_due: number | null;
  rule_id: number | null;
  /** Why the amount is what it is (the rule's label, or the officer's basis). */
  amount_note: Generated<string>;
  state: PaymentStateColumn;
  method: PaymentMethodColumn | null;
  paid_amount: number | null;
  paid_at: IsoInstant | null;
  /** The local day it was paid: the day's takings and the report read it. */
  paid_on: LocalDate | null;
  paid_by: number | null;
  provider: string | null;
  provider_txn_id: string | null;
  payer_name: Generated<string>;
  /** Why it was cancelled or refunded. */
  closed_reason: Generated<string>;
  version: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface PaymentEventTable {
  id: Generated<number>;
  payment_id: number;
  at: IsoInstant;
  actor_account_id: number | null;
  actor_name: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  amount: number | null;
  method: string | null;
  note: Generated<string>;
  details: Generated<string>;
}

export interface ReceiptSequenceTable {
  office_id: number;
  year: number;
  last_number: number;
}

export interface ReceiptTable {
  id: Generated<number>;
  office_id: number;
  year: number;
  series: string;
  number: number;
  payment_id: number;
  dossier_id: number;
  amount: number;
  method: PaymentMethodColumn;
  payer_name: string;
  fee_name: string;
  issued_at: IsoInstant;
  issued_on: LocalDate;
  issued_by: number | null;
  issued_by_name: string;
  state: Generated<'valid' | 'cancelled'>;
  cancelled_at: IsoInstant | null;
  cancelled_by: number | null;
  cancel_reason: string | null;
  replaced_by: number | null;
}

export type ReviewState = 'none' | 'open' | 'resolved';

export interface PaymentCallbackTable {
  id: Generated<number>;
  provider: string;
  provider_txn_id: string;
  received_at: IsoInstant;
  signed_at: IsoInstant;
  body_sha256: string;
  body: string;
  reference: string;
  amount: number;
  outcome: string;
  office_id: number | null;
  dossier_id: number | null;
  payment_id: number | null;
  review_state: ReviewState;
  resolved_at: IsoInstant | null;
  resolved_by: number | null;
  resolution_note: string | null;
}

export interface BankStatementTable {
  id: Generated<number>;
  office_id: number;
  account_id: number;
  file_name: string;
  file_sha256: string;
  at: IsoInstant;
  line_count: number;
  matched_count: number;
  review_count: number;
  repeated_count: number;
}

export interface BankStatementLineTable {
  id: Generated<number>;
  statement_id: number;
  office_id: number;
  line_key: string;
  line_no: number;
  booked_on: LocalDate;
  amount: number;
  description: string;
  bank_ref: string;
  match_state: string;
  dossier_id: number | null;
  payment_id: number | null;
  review_state: ReviewState;
  resolved_at: IsoInstant | null;
  resolved_by: number | null;
  resolution_note: string | null;
}

export type FeeRuleRow = Selectable<FeeRuleTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type PaymentEventRow = Selectable<PaymentEventTable>;
export type ReceiptRow = Selectable<ReceiptTable>;
export type PaymentCallbackRow = Selectable<PaymentCallbackTable>;
export type BankStatementLineRow = Selectable<BankStatementLineTable>;
