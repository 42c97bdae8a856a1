import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Dossiers that arrive online and the national portal's view of every dossier (issue 32): the
// online inbox (a delivery per portal code, with its files, until the office accepts, asks for a
// supplement or refuses it) and the synchronisation outbox to the portal (one stream per dossier,
// its rows in order, the stream's sync state and lease).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('online_dossiers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    // The portal's own code (MaHoSo on the portal): the key of idempotency.
    .addColumn('portal_code', 'text', (c) => c.notNull().unique())
    // SHA-256 over the delivery's fields and its files' hashes: the same delivery again is a replay.
    .addColumn('delivery_hash', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('procedure_name', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('arrived_at', 'text', (c) => c.notNull())
    .addColumn('return_channel', 'text', (c) =>
      c.notNull().check(sql`return_channel in ('counter', 'post', 'online')`),
    )
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('sex', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'supplement_requested', 'accepted', 'refused')`),
    )
    // The check's window: from the (last) arrival, in the office's working hours.
    .addColumn('check_due_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('decided_by_name', 'text')
    .addColumn('reason', 'text')
    .addColumn('dossier_id', 'integer', (c) => c.unique().references('dossiers.id'))
    // The intake's form token of the acceptance: accepting twice finds the same dossier.
    .addColumn('intake_token', 'text', (c) => c.notNull().unique())
    .addColumn('delivered_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('online_dossiers_inbox')
    .on('online_dossiers')
    .columns(['office_id', 'state', 'check_due_at'])
    .execute();

  await db.schema
    .createTable('online_dossier_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('online_dossier_id', 'integer', (c) => c.notNull().references('online_dossiers.id'))
    // The procedure document (component) the file belongs to.
    .addColumn('document_id', 'integer', (c) => c.notNull().references('procedure_documents.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // The bytes are in the file store under this name (content-addressed).
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A supplement's files replace the earlier ones of the same delivery (kept as history).
    .addColumn('replaced_at', 'text')
    .execute();
  await db.schema
    .createIndex('online_dossier_files_dossier')
    .on('online_dossier_files')
    .column('online_dossier_id')
    .execute();

  await db.schema
    .createTable('portal_sync_streams')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    // The dossier's code on the portal (MaHoSo): the portal's own code for an online dossier.
    .addColumn('ma_ho_so', 'text', (c) => c.notNull().unique())
    .addColumn('dossier_id', 'integer', (c) => c.unique().references('dossiers.id'))
    .addColumn('online_dossier_id', 'integer', (c) => c.unique().references('online_dossiers.id'))
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_seq', 'integer', (c) => c.notNull().defaultTo(0))
    // The portal has the dossier (DongBoHoSoMC succeeded once): later sends update it.
    .addColumn('on_portal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('in_step', 'pending', 'failing')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('failing_since', 'text')
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_change_at', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('portal_sync_streams_due')
    .on('portal_sync_streams')
    .columns(['state', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('portal_sync_rows')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('portal_sync_streams.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // What changed (received, hand_over, …) and the national status it reports.
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('national_status', 'text', (c) => c.notNull())
    // The DongBoHoSoMC item and the CapNhatTienDoHoSoMC item, as JSON, fixed at the change.
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('progress', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('portal_sync_rows_stream_seq', ['stream_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'portal_sync_rows',
    'portal_sync_streams',
    'online_dossier_files',
    'online_dossiers',
  ])
    await db.schema.dropTable(table).execute();
}
