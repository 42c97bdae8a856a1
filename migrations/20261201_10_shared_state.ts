import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// What several app processes on one database must agree on: rate-limit windows (keyed by a
// keyed hash, never a client address in clear) and the version of the master data, which every
// administrative change moves on so that every process drops its cached copy.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    // Milliseconds since the epoch on the app's clock.
    .addColumn('resets_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['bucket', 'key_hash'])
    .execute();
  await db.schema
    .createIndex('rate_limit_windows_resets_at')
    .on('rate_limit_windows')
    .column('resets_at')
    .execute();

  await db.schema
    .createTable('master_data_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('master_data_version').values({ id: 1, version: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('master_data_version').execute();
  await db.schema.dropTable('rate_limit_windows').execute();
}
