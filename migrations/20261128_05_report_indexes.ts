import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Indexes for the report's relevance filter and the tracking book's keyset paging (bench-driven).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('dossiers_office_received_at')
    .on('dossiers')
    .columns(['office_id', 'received_at', 'id'])
    .execute();
  await db.schema.createIndex('dossiers_result_at').on('dossiers').column('result_at').execute();
  await db.schema
    .createIndex('dossiers_closed_result')
    .on('dossiers')
    .columns(['closed_at', 'result_at'])
    .execute();
  await db.schema
    .createIndex('dossiers_returned_at')
    .on('dossiers')
    .column('returned_at')
    .execute();
  await db.schema.createIndex('dossiers_status').on('dossiers').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'dossiers_office_received_at',
    'dossiers_result_at',
    'dossiers_closed_result',
    'dossiers_returned_at',
    'dossiers_status',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
}
