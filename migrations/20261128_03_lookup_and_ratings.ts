import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Every citizen lookup, hit or miss; no client address (rate limiting keeps that in memory only).
  await db.schema
    .createTable('lookup_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('hit', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lookup_events_at').on('lookup_events').column('at').execute();

  await db.schema
    .createTable('ratings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().unique().references('dossiers.id'))
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('very_satisfied', 'satisfied', 'unsatisfied')`),
    )
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ratings').execute();
  await db.schema.dropTable('lookup_events').execute();
}
