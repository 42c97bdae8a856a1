import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Messages to citizens as an outbox (docs/ARCHITECTURE.md "Notifications"): the citizen's
// consent kept with the dossier; one row per message, written in the transaction of the change
// that causes it and drained by a sender holding a lease; templates an administrator edits;
// per-office provider accounts where an office has its own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dossiers')
    .addColumn('notify_channels', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('sms', 'zalo', 'email', 'log')`),
    )
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    // Zalo ZNS template parameters (JSON), and a secret to blank from the body once sent.
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('redact', 'text')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('queued', 'sending', 'sent', 'delivered', 'failed_temporary', 'failed_permanent', 'cancelled')`,
        ),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_due')
    .on('notifications')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_dossier')
    .on('notifications')
    .columns(['dossier_id', 'id'])
    .execute();
  // Partial: a message enters these only once sent, so an intake's new rows cost no entry here.
  await db.schema
    .createIndex('notifications_recipient_sent')
    .on('notifications')
    .columns(['recipient', 'sent_at'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('notifications_provider')
    .on('notifications')
    .columns(['channel', 'provider_id'])
    .where(sql.ref('provider_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('notifications_office_created')
    .on('notifications')
    .columns(['office_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notification_templates')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('zalo_template_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  for (const column of ['sms_gateway_url', 'sms_gateway_token', 'zalo_zns_url', 'zalo_zns_token']) {
    await db.schema.alterTable('offices').addColumn(column, 'text').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['sms_gateway_url', 'sms_gateway_token', 'zalo_zns_url', 'zalo_zns_token']) {
    await db.schema.alterTable('offices').dropColumn(column).execute();
  }
  await db.schema.dropTable('notification_templates').execute();
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('dossiers').dropColumn('notify_channels').execute();
}
