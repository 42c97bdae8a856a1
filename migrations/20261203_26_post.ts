import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Results returned by post (dịch vụ bưu chính công ích): the dispatch of a dossier's result
// (the postal tracking code, the address it went to, the time it left the office) and the day
// the post delivered it. A tracking code belongs to one dossier only; the postal provider's
// delivery callbacks find the dossier by it (and are idempotent on it).
export async function up(db: Kysely<any>): Promise<void> {
  for (const name of [
    'post_tracking_code',
    'post_address',
    'post_dispatched_at',
    'post_delivered_on',
  ]) {
    await db.schema.alterTable('dossiers').addColumn(name, 'text').execute();
  }
  await db.schema
    .createIndex('dossiers_post_tracking_code')
    .on('dossiers')
    .column('post_tracking_code')
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_post_tracking_code').execute();
  for (const name of [
    'post_delivered_on',
    'post_dispatched_at',
    'post_address',
    'post_tracking_code',
  ]) {
    await db.schema.alterTable('dossiers').dropColumn(name).execute();
  }
}
