import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type {
  BankStatementLineTable,
  BankStatementTable,
  PaymentCallbackRow,
  PaymentCallbackTable,
} from '../db/schema.js';

/**
 * All SQL of reconciliation: the providers' callbacks seen, bank statements and their lines, the
 * review list, the day's takings and the period's figures (read models over payments, receipts
 * and the dossiers they belong to).
 */

export async function findCallback(db: Db, provider: string, txnId: string) {
  return db
    .selectFrom('payment_callbacks')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_txn_id', '=', txnId)
    .executeTakeFirst();
}

/** Takes the (provider, transaction id) slot: a second delivery fails on the unique key. */
export async function insertCallback(
  tx: Tx,
  row: Insertable<PaymentCallbackTable>,
): Promise<PaymentCallbackRow> {
  return tx.insertInto('payment_callbacks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCallback(
  tx: Tx,
  id: number,
  patch: Updateable<PaymentCallbackTable>,
): Promise<PaymentCallbackRow> {
  return tx
    .updateTable('payment_callbacks')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertStatement(tx: Tx, row: Insertable<BankStatementTable>) {
  return (
    await tx.insertInto('bank_statements').values(row).returning('id').executeTakeFirstOrThrow()
  ).id;
}

export async function updateStatementCounts(
  tx: Tx,
  id: number,
  counts: Pick<
    BankStatementTable,
    'line_count' | 'matched_count' | 'review_count' | 'repeated_count'
  >,
) {
  await tx.updateTable('bank_statements').set(counts).where('id', '=', id).execute();
}

/** Whether a line with this key was imported before (then this one is a repeat). */
export async function statementLineExists(db: Db, key: string): Promise<boolean> {
  return !!(await db
    .selectFrom('bank_statement_lines')
    .select('id')
    .where('line_key', '=', key)
    .executeTakeFirst());
}

export async function insertStatementLine(tx: Tx, row: Insertable<BankStatementLineTable>) {
  await tx.insertInto('bank_statement_lines').values(row).execute();
}

/** Whether a statement line already stands for this payment's money. */
export async function paymentHasStatementLine(db: Db, paymentId: number): Promise<boolean> {
  return !!(await db
    .selectFrom('bank_statement_lines')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('match_state', 'in', ['paid', 'confirmed'])
    .executeTakeFirst());
}

/** Open review items: callbacks (of these offices, or with no office for administrators) and lines. */
export async function findOpenReview(db: Db, officeIds: number[], withUnplaced: boolean) {
  const [callbacks, lines] = await Promise.all([
    db
      .selectFrom('payment_callbacks')
      .leftJoin('dossiers', 'dossiers.id', 'payment_callbacks.dossier_id')
      .select([
        'payment_callbacks.id',
        'payment_callbacks.provider',
        'payment_callbacks.provider_txn_id',
        'payment_callbacks.received_at',
        'payment_callbacks.reference',
        'payment_callbacks.amount',
        'payment_callbacks.outcome',
        'payment_callbacks.office_id',
        'dossiers.code as dossier_code',
      ])
      .where('payment_callbacks.review_state', '=', 'open')
      .where((eb) =>
        withUnplaced
          ? eb.or([
              eb('payment_callbacks.office_id', 'in', officeIds.length ? officeIds : [-1]),
              eb('payment_callbacks.office_id', 'is', null),
            ])
          : eb('payment_callbacks.office_id', 'in', officeIds.length ? officeIds : [-1]),
      )
      .orderBy('payment_callbacks.received_at')
      .limit(500)
      .execute(),
    db
      .selectFrom('bank_statement_lines')
      .leftJoin('dossiers', 'dossiers.id', 'bank_statement_lines.dossier_id')
      .select([
        'bank_statement_lines.id',
        'bank_statement_lines.office_id',
        'bank_statement_lines.booked_on',
        'bank_statement_lines.amount',
        'bank_statement_lines.description',
        'bank_statement_lines.bank_ref',
        'bank_statement_lines.match_state',
        'dossiers.code as dossier_code',
      ])
      .where('bank_statement_lines.review_state', '=', 'open')
      .where('bank_statement_lines.office_id', 'in', officeIds.length ? officeIds : [-1])
      .orderBy('bank_statement_lines.booked_on')
      .limit(500)
      .execute(),
  ]);
  return { callbacks, lines };
}

export async function findReviewItem(db: Db, kind: 'callback' | 'line', id: number) {
  if (kind === 'callback')
    return db
      .selectFrom('payment_callbacks')
      .select(['id', 'office_id', 'amount', 'review_state', 'provider'])
      .where('id', '=', id)
      .executeTakeFirst();
  return db
    .selectFrom('bank_statement_lines')
    .select(['id', 'office_id', 'amount', 'review_state'])
    .where('id', '=', id)
    .executeTakeFirst()
    .then((r) => (r ? { ...r, provider: null } : undefined));
}

/** Closes an open review item; false when someone closed it meanwhile. */
export async function resolveReviewItem(
  tx: Tx,
  kind: 'callback' | 'line',
  id: number,
  patch: {
    resolved_at: string;
    resolved_by: number;
    resolution_note: string;
    payment_id?: number;
    dossier_id?: number;
  },
): Promise<boolean> {
  const table = kind === 'callback' ? 'payment_callbacks' : 'bank_statement_lines';
  const result = await tx
    .updateTable(table)
    .set({ ...patch, review_state: 'resolved' })
    .where('id', '=', id)
    .where('review_state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The receipts an office issued on a local day, with their dossiers' codes. */
export async function findReceiptsOfDay(db: Db, officeId: number, day: string) {
  return db
    .selectFrom('receipts')
    .innerJoin('dossiers', 'dossiers.id', 'receipts.dossier_id')
    .select([
      'receipts.id',
      'receipts.series',
      'receipts.year',
      'receipts.number',
      'receipts.payment_id',
      'receipts.amount',
      'receipts.method',
      'receipts.payer_name',
      'receipts.fee_name',
      'receipts.issued_at',
      'receipts.issued_by',
      'receipts.issued_by_name',
      'receipts.state',
      'receipts.cancel_reason',
      'receipts.replaced_by',
      'dossiers.code as dossier_code',
    ])
    .where('receipts.office_id', '=', officeId)
    .where('receipts.issued_on', '=', day)
    .orderBy('receipts.number')
    .execute();
}

/** The payments an office took on a local day, with their valid receipts and confirmations. */
export async function findPaymentsOfDay(db: Db, officeId: number, day: string) {
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'reference', 'method', 'paid_amount', 'paid_by', 'provider', 'state'])
    .where('office_id', '=', officeId)
    .where('paid_on', '=', day)
    .where('state', 'in', ['paid', 'refunded'])
    .execute();
  const ids = payments.map((p) => p.id);
  const [receipts, lines] = ids.length
    ? await Promise.all([
        db
          .selectFrom('receipts')
          .select(['payment_id', 'amount', 'state'])
          .where('payment_id', 'in', ids)
          .execute(),
        db
          .selectFrom('bank_statement_lines')
          .select(['payment_id', 'booked_on'])
          .where('payment_id', 'in', ids)
          .where('match_state', 'in', ['paid', 'confirmed'])
          .execute(),
      ])
    : [[], []];
  return { payments, receipts, lines };
}

/** Paid fees of a period per procedure and method (refunded ones are not collected). */
export async function findCollected(db: Db, officeIds: number[], from: string, to: string) {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('payments')
    .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
    .select((eb) => [
      'payments.procedure_code',
      'dossiers.procedure_name',
      'payments.method',
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number>('payments.paid_amount').as('amount'),
    ])
    .where('payments.office_id', 'in', officeIds)
    .where('payments.state', '=', 'paid')
    .where('payments.paid_on', '>=', from)
    .where('payments.paid_on', '<=', to)
    .where('payments.paid_amount', '>', 0)
    .groupBy(['payments.procedure_code', 'dossiers.procedure_name', 'payments.method'])
    .orderBy('payments.procedure_code')
    .orderBy('payments.method')
    .execute();
}
