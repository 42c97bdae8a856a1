import { sql, type Kysely } from 'kysely';
import { createAppendOnlyTrigger } from './dialect.js';

// Frozen in time: never import application code here.
// Fees paid and proven (docs/ARCHITECTURE.md "Payments"): the fee rules as data; one payment
// record per dossier with its events (append-only); receipts numbered per office and year from a
// sequence row taken in the payment's transaction; the providers' callbacks seen (idempotency on
// their transaction id); bank statements and their credit lines with how each matched; and the
// office's beneficiary account and its rule "no result before the fee is paid".
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type, build] of [
    ['payment_bank_bin', 'text', null],
    ['payment_account_no', 'text', null],
    ['payment_account_name', 'text', null],
    ['payment_illustrative', 'integer', 0],
    ['payment_required_before_return', 'integer', 0],
    ['receipt_series', 'text', 'BL'],
  ] as const) {
    await db.schema
      .alterTable('offices')
      .addColumn(name, type, (c) => (build === null ? c : c.notNull().defaultTo(build)))
      .execute();
  }

  await db.schema
    .createTable('fee_rules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // A stable name, so seeding never adds a rule twice and an edited rule keeps its identity.
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.check(sql`channel in ('counter', 'online', 'post')`))
    .addColumn('amount_vnd', 'integer', (c) => c.notNull().check(sql`amount_vnd >= 0`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().unique().references('dossiers.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('fee_name', 'text', (c) => c.notNull())
    // The dossier code the payer quotes (the VietQR bill number).
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('base_amount', 'integer')
    .addColumn('amount_due', 'integer', (c) => c.check(sql`amount_due >= 0`))
    .addColumn('rule_id', 'integer', (c) => c.references('fee_rules.id'))
    .addColumn('amount_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('due', 'pending', 'paid', 'cancelled', 'refunded')`),
    )
    .addColumn('method', 'text', (c) => c.check(sql`method in ('cash', 'transfer', 'online')`))
    .addColumn('paid_amount', 'integer')
    .addColumn('paid_at', 'text')
    .addColumn('paid_on', 'text')
    .addColumn('paid_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('provider', 'text')
    .addColumn('provider_txn_id', 'text')
    .addColumn('payer_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('closed_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payments_office_paid')
    .on('payments')
    .columns(['office_id', 'paid_on'])
    .execute();

  await db.schema
    .createTable('payment_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('payment_id', 'integer', (c) => c.notNull().references('payments.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('amount', 'integer')
    .addColumn('method', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('payment_events_payment')
    .on('payment_events')
    .columns(['payment_id', 'id'])
    .execute();
  await createAppendOnlyTrigger(db, 'payment_events_no_update', 'payment_events', 'update');
  await createAppendOnlyTrigger(db, 'payment_events_no_delete', 'payment_events', 'delete');

  await db.schema
    .createTable('receipt_sequences')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipt_sequences_pk', ['office_id', 'year'])
    .execute();
  await db.schema
    .createTable('receipts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('payment_id', 'integer', (c) => c.notNull().references('payments.id'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('payer_name', 'text', (c) => c.notNull())
    .addColumn('fee_name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('issued_by_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('valid')
        .check(sql`state in ('valid', 'cancelled')`),
    )
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('cancel_reason', 'text')
    .addColumn('replaced_by', 'integer')
    .addUniqueConstraint('receipts_office_year_number', ['office_id', 'year', 'number'])
    .execute();
  await db.schema
    .createIndex('receipts_office_day')
    .on('receipts')
    .columns(['office_id', 'issued_on'])
    .execute();
  await db.schema.createIndex('receipts_payment').on('receipts').column('payment_id').execute();

  await db.schema
    .createTable('payment_callbacks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_txn_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
    .addColumn('dossier_id', 'integer', (c) => c.references('dossiers.id'))
    .addColumn('payment_id', 'integer', (c) => c.references('payments.id'))
    .addColumn('review_state', 'text', (c) =>
      c.notNull().check(sql`review_state in ('none', 'open', 'resolved')`),
    )
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('resolution_note', 'text')
    .addUniqueConstraint('payment_callbacks_txn', ['provider', 'provider_txn_id'])
    .execute();
  await db.schema
    .createIndex('payment_callbacks_review')
    .on('payment_callbacks')
    .columns(['review_state', 'received_at'])
    .execute();

  await db.schema
    .createTable('bank_statements')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('matched_count', 'integer', (c) => c.notNull())
    .addColumn('review_count', 'integer', (c) => c.notNull())
    .addColumn('repeated_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bank_statement_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('bank_statements.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('line_key', 'text', (c) => c.notNull().unique())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('booked_on', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('bank_ref', 'text', (c) => c.notNull())
    .addColumn('match_state', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'integer', (c) => c.references('dossiers.id'))
    .addColumn('payment_id', 'integer', (c) => c.references('payments.id'))
    .addColumn('review_state', 'text', (c) =>
      c.notNull().check(sql`review_state in ('none', 'open', 'resolved')`),
    )
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema
    .createIndex('bank_statement_lines_review')
    .on('bank_statement_lines')
    .columns(['office_id', 'review_state', 'booked_on'])
    .execute();
  await db.schema
    .createIndex('bank_statement_lines_payment')
    .on('bank_statement_lines')
    .column('payment_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'bank_statement_lines',
    'bank_statements',
    'payment_callbacks',
    'receipts',
    'receipt_sequences',
    'payment_events',
    'payments',
    'fee_rules',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of [
    'receipt_series',
    'payment_required_before_return',
    'payment_illustrative',
    'payment_account_name',
    'payment_account_no',
    'payment_bank_bin',
  ]) {
    await db.schema.alterTable('offices').dropColumn(column).execute();
  }
}
