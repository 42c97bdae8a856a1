import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type {
  FeeRuleRow,
  PaymentEventRow,
  PaymentEventTable,
  PaymentRow,
  PaymentTable,
  ReceiptRow,
  ReceiptTable,
} from '../db/schema.js';

/**
 * All SQL on fee rules, payments, their events, receipts and the receipts' sequences; and the
 * dossier columns a payment reads (a read model: the dossier is the dossiers feature's to write).
 */

export type DossierForPayment = NonNullable<Awaited<ReturnType<typeof findDossierForPayment>>>;

const DOSSIER_COLUMNS = [
  'id',
  'code',
  'office_id',
  'procedure_code',
  'procedure_name',
  'applicant_name',
  'address',
  'status',
  'intake_outcome',
  'receiving_channel',
  'fee_vnd',
  'received_at',
] as const;

/** A dossier by its code, or by its numeric id for one without a code. */
export async function findDossierForPayment(db: Db, ref: string) {
  const byId = /^\d{1,9}$/.test(ref);
  return db
    .selectFrom('dossiers')
    .select(DOSSIER_COLUMNS)
    .$if(byId, (q) => q.where('id', '=', Number(ref)))
    .$if(!byId, (q) => q.where('code', '=', ref))
    .executeTakeFirst();
}

export async function findDossiersForPayment(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('dossiers').select(DOSSIER_COLUMNS).where('code', 'in', codes).execute();
}

export async function findFeeRules(db: Db, procedureCode: string): Promise<FeeRuleRow[]> {
  return db
    .selectFrom('fee_rules')
    .selectAll()
    .where('procedure_code', '=', procedureCode)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function findPaymentOfDossier(db: Db, dossierId: number) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
}

export async function findPaymentsOfDossiers(db: Db, dossierIds: number[]): Promise<PaymentRow[]> {
  if (dossierIds.length === 0) return [];
  return db.selectFrom('payments').selectAll().where('dossier_id', 'in', dossierIds).execute();
}

/** Creates the dossier's payment record unless it exists; returns the record either way. */
export async function insertPaymentIfMissing(
  tx: Tx,
  row: Insertable<PaymentTable>,
): Promise<{ payment: PaymentRow; created: boolean }> {
  const inserted = await tx
    .insertInto('payments')
    .values(row)
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { payment: inserted, created: true };
  return {
    payment: (await findPaymentOfDossier(tx, row.dossier_id))!,
    created: false,
  };
}

/** Updates a payment only at the version the caller read; false when someone changed it since. */
export async function updatePaymentAtVersion(
  tx: Tx,
  id: number,
  version: number,
  patch: Updateable<PaymentTable>,
): Promise<PaymentRow | undefined> {
  return tx
    .updateTable('payments')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function insertPaymentEvent(
  tx: Tx,
  row: Insertable<PaymentEventTable>,
): Promise<void> {
  await tx.insertInto('payment_events').values(row).execute();
}

export async function findPaymentEvents(db: Db, paymentId: number): Promise<PaymentEventRow[]> {
  return db
    .selectFrom('payment_events')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
}

/**
 * The next receipt number of an office's year. One upsert that returns the number: on
 * PostgreSQL the row stays locked until the payment's transaction ends, on SQLite the write lock
 * is held already; a rolled-back payment gives its number back. So numbers have no gap and no
 * duplicate, from any number of processes (docs/DECISIONS.md "Receipt numbers").
 */
export async function allocateReceiptNumber(tx: Tx, officeId: number, year: number) {
  const row = await tx
    .insertInto('receipt_sequences')
    .values({ office_id: officeId, year, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['office_id', 'year'])
        .doUpdateSet({ last_number: sql<number>`receipt_sequences.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertReceipt(tx: Tx, row: Insertable<ReceiptTable>): Promise<ReceiptRow> {
  return tx.insertInto('receipts').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReceiptsOfPayment(db: Db, paymentId: number): Promise<ReceiptRow[]> {
  return db
    .selectFrom('receipts')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
}

export async function findReceiptById(db: Db, id: number): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Cancels a valid receipt; false when it was cancelled already (by someone else meanwhile). */
export async function cancelReceiptRow(
  tx: Tx,
  id: number,
  patch: { cancelled_at: string; cancelled_by: number | null; cancel_reason: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('receipts')
    .set({ ...patch, state: 'cancelled' })
    .where('id', '=', id)
    .where('state', '=', 'valid')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setReceiptReplacement(tx: Tx, id: number, replacedBy: number) {
  await tx.updateTable('receipts').set({ replaced_by: replacedBy }).where('id', '=', id).execute();
}
