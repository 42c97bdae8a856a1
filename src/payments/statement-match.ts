import { createHash } from 'node:crypto';
import { viPayments } from '../locale/vi-payments.js';
import { foldVietnamese } from '../lib/fold.js';
import { compactReference } from './vietqr.js';

/**
 * Reading a bank statement and finding the dossier a transfer pays for. Pure. A transfer is
 * matched by its reference (a dossier code in its content, with or without the punctuation banks
 * drop) and its amount; anything else is listed for a person to look at, never guessed
 * (docs/DOMAIN.md §10).
 */
export type StatementCell = string | number | Date | null;
export const STATEMENT_COLUMNS = [
  'date',
  'credit',
  'debit',
  'amount',
  'description',
  'reference',
] as const;
export type StatementColumn = (typeof STATEMENT_COLUMNS)[number];

const ALIASES = new Map<string, StatementColumn>(
  STATEMENT_COLUMNS.flatMap((column) =>
    viPayments.statementHeadings[column].map((a) => [foldVietnamese(a), column] as const),
  ),
);

/** The columns of a heading row, or null when the row is not the heading (date, money, content). */
export function matchStatementHeadings(
  cells: readonly StatementCell[],
): Map<StatementColumn, number> | null {
  const columns = new Map<StatementColumn, number>();
  cells.forEach((cell, i) => {
    if (typeof cell !== 'string') return;
    const column = ALIASES.get(
      foldVietnamese(cell)
        .replace(/[:.*()]/g, '')
        .trim(),
    );
    if (column && !columns.has(column)) columns.set(column, i);
  });
  const money = columns.has('credit') || columns.has('amount');
  return columns.has('date') && columns.has('description') && money ? columns : null;
}

/**
 * Whole đồng from a cell: 20000, "20,000", "20.000", "20.000,00", "+20,000 VND". Null for an
 * empty cell, anything that is not money, or fractions of a đồng.
 */
export function parseVnd(cell: StatementCell): number | null {
  if (cell === null || cell instanceof Date) return null;
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : null;
  const text = cell.replace(/\s|VND|VNĐ|đ|₫/gi, '');
  if (!text) return null;
  const m = /^([+-]?)(\d{1,3}(?:([.,])\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const [, sign, whole, thousands, decimalMark, fraction] = m;
  if (decimalMark && thousands && decimalMark === thousands) return null;
  // Statements may print ",00" after the đồng; a real fraction of a đồng is not money we take.
  if (fraction !== undefined && Number(fraction) !== 0) return null;
  const value = Number(whole!.replace(/[.,]/g, ''));
  return Number.isSafeInteger(value) ? (sign === '-' ? -value : value) : null;
}

/** A local date from a statement cell: a sheet date, dd/mm/yyyy (time ignored) or yyyy-mm-dd. */
export function parseStatementDate(cell: StatementCell): string | null {
  if (cell instanceof Date)
    return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/.exec(text);
  if (m) return validDate(`${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`);
  m = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  return m ? validDate(`${m[1]}-${m[2]}-${m[3]}`) : null;
}

function validDate(iso: string): string | null {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

export interface StatementLine {
  lineNo: number;
  bookedOn: string;
  /** Money in (credit), whole đồng, positive. */
  amount: number;
  description: string;
  bankRef: string;
}

/** A row as a credit line, or null for a row that is not money in (debits, totals, blanks). */
export function statementLineOf(
  rowNumber: number,
  cells: readonly StatementCell[],
  columns: Map<StatementColumn, number>,
): StatementLine | null {
  const at = (c: StatementColumn) => {
    const i = columns.get(c);
    return i === undefined ? null : (cells[i] ?? null);
  };
  const bookedOn = parseStatementDate(at('date'));
  const amount = columns.has('credit') ? parseVnd(at('credit')) : parseVnd(at('amount'));
  if (!bookedOn || amount === null || amount <= 0) return null;
  const text = (c: StatementColumn) => {
    const v = at(c);
    return v === null ? '' : v instanceof Date ? v.toISOString() : String(v).trim();
  };
  return {
    lineNo: rowNumber,
    bookedOn,
    amount,
    description: text('description').slice(0, 500),
    bankRef: text('reference').slice(0, 100),
  };
}

/** What makes a line the same line when a statement is imported again. */
export function statementLineKey(officeId: number, line: StatementLine): string {
  return createHash('sha256')
    .update(JSON.stringify([officeId, line.bankRef, line.bookedOn, line.amount, line.description]))
    .digest('hex');
}

/**
 * The dossier codes a transfer's content names: each office's code followed by the code's day and
 * number (YYMMDD and NNNN), found in the content with its punctuation removed. Distinct codes, in
 * the order found.
 */
export function dossierCodesIn(text: string, officeCodes: readonly string[]): string[] {
  const compact = compactReference(foldVietnamese(text));
  const found: string[] = [];
  for (const office of officeCodes) {
    const prefix = compactReference(office);
    if (!prefix) continue;
    for (let at = compact.indexOf(prefix); at >= 0; at = compact.indexOf(prefix, at + 1)) {
      const digits = /^\d{10}/.exec(compact.slice(at + prefix.length))?.[0];
      if (!digits) continue;
      const code = `${office}-${digits.slice(0, 6)}-${digits.slice(6)}`;
      if (!found.includes(code)) found.push(code);
    }
  }
  return found;
}

/** Whether a text is a whole dossier code, `<office code>-<YYMMDD>-<NNNN>` (docs/DOMAIN.md §2). */
export function looksLikeDossierCode(text: string): boolean {
  return /^[0-9A-Za-z.]{3,40}-\d{6}-\d{4}$/.test(text.trim());
}

/** How a transfer stands against the dossier it names. */
export type MatchOutcome =
  | 'paid' // the payment is now paid by this transfer
  | 'confirmed' // it confirms a transfer a provider's callback already recorded
  | 'unknown_reference' // no dossier code, or no such dossier here
  | 'ambiguous' // several dossier codes
  | 'amount_mismatch'
  | 'already_paid' // money for a fee already paid otherwise: to refund or review
  | 'not_payable'; // nothing due, amount not yet assessed, or the payment cancelled

export interface PaymentForMatch {
  state: string;
  amountDue: number | null;
  method: string | null;
  /** Whether a statement line already confirmed this payment. */
  confirmedByStatement: boolean;
}

/** The outcome of a transfer of `amount` against the payment of the one dossier it names. */
export function classifyTransfer(amount: number, payment: PaymentForMatch): MatchOutcome {
  if (payment.state === 'paid') {
    const byTransfer = payment.method === 'transfer' || payment.method === 'online';
    return byTransfer && !payment.confirmedByStatement && payment.amountDue === amount
      ? 'confirmed'
      : 'already_paid';
  }
  if (payment.state !== 'due' && payment.state !== 'pending') return 'not_payable';
  if (payment.amountDue === null || payment.amountDue === 0) return 'not_payable';
  return payment.amountDue === amount ? 'paid' : 'amount_mismatch';
}
