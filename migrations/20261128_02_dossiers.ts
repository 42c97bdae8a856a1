import { sql, type Kysely } from 'kysely';
import { createAppendOnlyTrigger } from './dialect.js';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Null for dossiers not accepted at the counter (guided to supplement, refused at intake).
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('lookup_key_hash', 'text')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    // Snapshot of the catalog at intake: later edits never change a promise already made.
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('procedure_name', 'text', (c) => c.notNull())
    .addColumn('report_group', 'text', (c) => c.notNull())
    .addColumn('processing_days', 'integer', (c) => c.notNull())
    .addColumn('intake_outcome', 'text', (c) =>
      c.notNull().check(sql`intake_outcome in ('accepted', 'guided', 'refused')`),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_name_folded', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('sex', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('vehicle_kind', 'text')
    .addColumn('vehicle_id', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('received_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('due_on', 'text')
    .addColumn('due_at', 'text')
    .addColumn('due_explanation', 'text')
    .addColumn('rescheduled_due_on', 'text')
    .addColumn('rescheduled_due_at', 'text')
    .addColumn('supplement_requested_at', 'text')
    .addColumn('result_at', 'text')
    .addColumn('result_on', 'text')
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome is null or outcome in ('early', 'on_time', 'late')`),
    )
    .addColumn('returned_at', 'text')
    .addColumn('returned_to', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('refusal_reason', 'text')
    .addColumn('form_token', 'text', (c) => c.unique())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dossiers_office_received_on')
    .on('dossiers')
    .columns(['office_id', 'received_on'])
    .execute();
  await db.schema
    .createIndex('dossiers_office_status_due')
    .on('dossiers')
    .columns(['office_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('dossiers_personal_id')
    .on('dossiers')
    .columns(['personal_id', 'received_at'])
    .execute();
  await db.schema.createIndex('dossiers_phone').on('dossiers').column('phone').execute();
  await db.schema
    .createIndex('dossiers_name_folded')
    .on('dossiers')
    .column('applicant_name_folded')
    .execute();

  await db.schema
    .createTable('dossier_documents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('procedure_document_id', 'integer')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('copy_kind', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dossier_documents_dossier')
    .on('dossier_documents')
    .column('dossier_id')
    .execute();

  await db.schema
    .createTable('dossier_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('dossier_events_dossier')
    .on('dossier_events')
    .columns(['dossier_id', 'id'])
    .execute();
  await createAppendOnlyTrigger(db, 'dossier_events_no_update', 'dossier_events', 'update');
  await createAppendOnlyTrigger(db, 'dossier_events_no_delete', 'dossier_events', 'delete');

  await db.schema
    .createTable('code_sequences')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_sequences_pk', ['office_id', 'day'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['code_sequences', 'dossier_events', 'dossier_documents', 'dossiers']) {
    await db.schema.dropTable(table).execute();
  }
}
