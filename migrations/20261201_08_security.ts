import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Login failures per account and client address (a stranger cannot lock an account for
// everybody), API token scope and expiry, and the access log of personal data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    // A keyed hash of the client address: which address, without storing it.
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_attempts_pk', ['account_id', 'client_key'])
    .execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();

  await db.schema
    .createTable('access_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    // dossier.viewed, dossier.searched, applicant.looked_up, export.tracking_book, …
    .addColumn('action', 'text', (c) => c.notNull())
    // What was seen: a dossier code or id, or the kind of search (never the searched text).
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('access_events_at').on('access_events').column('at').execute();
  await db.schema
    .createIndex('access_events_account_at')
    .on('access_events')
    .columns(['account_id', 'at'])
    .execute();

  // Retention: when a closed dossier's personal data was removed.
  await db.schema.alterTable('dossiers').addColumn('anonymised_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').dropColumn('anonymised_at').execute();
  await db.schema.dropTable('access_events').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('scope').execute();
  await db.schema.dropTable('login_attempts').execute();
}
