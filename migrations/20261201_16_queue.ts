import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// The queue in front of the counter (docs/ARCHITECTURE.md "Queue"): service groups and counters
// as data per office; tickets numbered per group and day from a sequence row; appointments booked
// into slots whose capacity is held by a counter row; a journal of queue events that call
// displays follow; a dossier remembers the ticket it was received from; a message of the outbox
// may be about a ticket instead of a dossier ("your number is near").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('letter', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('intake')
        .check(sql`kind in ('intake', 'result')`),
    )
    .addColumn('slot_minutes', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('slot_capacity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_groups_office_code', ['office_id', 'code'])
    .addUniqueConstraint('service_groups_office_letter', ['office_id', 'letter'])
    .execute();
  await db.schema
    .createTable('service_group_procedures')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addPrimaryKeyConstraint('service_group_procedures_pk', ['group_id', 'procedure_id'])
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    // The officer signed in at the counter, and since when.
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('signed_in_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('counters_office_number', ['office_id', 'number'])
    .execute();
  await db.schema
    .createIndex('counters_account')
    .on('counters')
    .column('account_id')
    .unique()
    .where(sql.ref('account_id'), 'is not', null)
    .execute();
  await db.schema
    .createTable('counter_groups')
    .addColumn('counter_id', 'integer', (c) => c.notNull().references('counters.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addPrimaryKeyConstraint('counter_groups_pk', ['counter_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('ticket_sequences')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_sequences_pk', ['group_id', 'day'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot_start', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('booked', 'checked_in', 'cancelled')`),
    )
    .addColumn('ticket_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'text')
    .execute();
  await db.schema
    .createIndex('appointments_person')
    .on('appointments')
    .columns(['office_id', 'day', 'personal_id'])
    .execute();
  await db.schema
    .createTable('appointment_slots')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot_start', 'text', (c) => c.notNull())
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('appointment_slots_pk', ['group_id', 'day', 'slot_start'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    // Why the ticket goes first ('' for none): elderly, disabled, pregnant, … as the office allows.
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('appointment_id', 'integer', (c) => c.references('appointments.id'))
    // The booked slot's start: from then on the ticket goes ahead of walk-ins.
    .addColumn('slot_at', 'text')
    .addColumn('access_key', 'text', (c) => c.notNull().unique())
    .addColumn('phone', 'text')
    // A result pickup ticket: the dossier to return, when the citizen gave its code.
    .addColumn('dossier_id', 'integer', (c) => c.references('dossiers.id'))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('waiting', 'called', 'serving', 'done', 'no_show')`),
    )
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('called_at', 'text')
    .addColumn('last_called_at', 'text')
    .addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counter_id', 'integer', (c) => c.references('counters.id'))
    .addColumn('called_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('serving_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('transferred_from', 'integer', (c) => c.references('service_groups.id'))
    .addColumn('near_notified_at', 'text')
    .addUniqueConstraint('tickets_group_day_seq', ['group_id', 'day', 'seq'])
    .execute();
  await db.schema
    .createIndex('tickets_office_day_state')
    .on('tickets')
    .columns(['office_id', 'day', 'state'])
    .execute();

  await db.schema
    .createTable('queue_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('counter_id', 'integer', (c) => c.references('counters.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('queue_events_office')
    .on('queue_events')
    .columns(['office_id', 'id'])
    .execute();

  await db.schema
    .alterTable('dossiers')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .execute();
  await db.schema
    .createIndex('dossiers_ticket')
    .on('dossiers')
    .column('ticket_id')
    .where(sql.ref('ticket_id'), 'is not', null)
    .execute();
  await db.schema
    .alterTable('offices')
    .addColumn('queue_priorities', 'text', (c) =>
      c.notNull().defaultTo('elderly,disabled,pregnant,child'),
    )
    .execute();
  await db.schema
    .alterTable('offices')
    .addColumn('queue_near_at', 'integer', (c) => c.notNull().defaultTo(3))
    .execute();

  await db.schema
    .alterTable('notifications')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .execute();
  if (isPostgres(db)) {
    await sql`alter table notifications alter column dossier_id drop not null`.execute(db);
  } else {
    await relaxSqliteDossierId(db);
  }
}

/** SQLite cannot drop a NOT NULL: the table is rebuilt (the documented twelve-step way, shortened: no views or triggers use it). */
async function relaxSqliteDossierId(db: Kysely<any>): Promise<void> {
  const row = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'notifications'`.execute(db);
  const create = row.rows[0]!.sql.replace(
    /"dossier_id" integer not null/i,
    '"dossier_id" integer',
  ).replace(/create table "notifications"/i, 'create table "notifications_rebuilt"');
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'notifications' and sql is not null`.execute(
    db,
  );
  await sql.raw(create).execute(db);
  await sql`insert into notifications_rebuilt select * from notifications`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_rebuilt rename to notifications`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('ticket_id').execute();
  await db.schema.alterTable('offices').dropColumn('queue_near_at').execute();
  await db.schema.alterTable('offices').dropColumn('queue_priorities').execute();
  await db.schema.dropIndex('dossiers_ticket').execute();
  await db.schema.alterTable('dossiers').dropColumn('ticket_id').execute();
  for (const table of [
    'queue_events',
    'tickets',
    'appointment_slots',
    'appointments',
    'ticket_sequences',
    'counter_groups',
    'counters',
    'service_group_procedures',
    'service_groups',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
