import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The hall and the phone (issue 29):
// - an online booking holds its place only once confirmed by a code sent to the phone: until
//   then it is a hold (`appointment_holds`) that expires after a few minutes;
// - `appointment_days` counts an office's unconfirmed holds of a day (a row every booking change
//   of that office's day updates first, so on PostgreSQL those changes queue on it);
// - one active booking per ID number, office and day is a unique index, no longer a read before
//   the write (PostgreSQL gave one ID four bookings under twelve parallel requests): duplicates a
//   database may hold already are cancelled first, the oldest kept, their places given back;
// - a booking remembers the client address it came from (as a keyed digest: the quotas), the
//   digest of its confirmation code (check-in by ID number and that code), failed check-ins,
//   and who cancelled it, when and why;
// - one import parse at a time per installation (`import_turns`): the others wait in line.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('appointment_holds')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // The confirmation page's address: random, shown only to whoever made the hold.
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('service_groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot_start', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('appointment_holds_office_day')
    .on('appointment_holds')
    .columns(['office_id', 'day', 'expires_at'])
    .execute();

  await db.schema
    .createTable('appointment_days')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('holds', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('appointment_days_pk', ['office_id', 'day'])
    .execute();

  for (const [column, type] of [
    ['client_key', 'text'],
    ['confirm_code_hash', 'text'],
    ['cancelled_at', 'text'],
    ['cancel_reason', 'text'],
  ] as const) {
    await db.schema.alterTable('appointments').addColumn(column, type).execute();
  }
  await db.schema.alterTable('appointments').addColumn('cancelled_by', 'integer').execute();
  await db.schema
    .alterTable('appointments')
    .addColumn('check_in_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Duplicates of (office, day, ID number) among booked appointments: the oldest stays, the
  // others are cancelled and their places given back.
  const duplicate = sql`exists (select 1 from appointments b where b.office_id = a.office_id
    and b.day = a.day and b.personal_id = a.personal_id and b.state = 'booked' and b.id < a.id)`;
  await sql`update appointment_slots set booked = booked - (
      select count(*) from appointments a
      where a.group_id = appointment_slots.group_id and a.day = appointment_slots.day
        and a.slot_start = appointment_slots.slot_start and a.state = 'booked' and ${duplicate})`.execute(
    db,
  );
  await sql`update appointments set state = 'cancelled', cancel_reason = 'duplicate'
    where id in (select a.id from appointments a where a.state = 'booked' and ${duplicate})`.execute(
    db,
  );
  await db.schema
    .createIndex('appointments_person_booked')
    .on('appointments')
    .columns(['office_id', 'day', 'personal_id'])
    .unique()
    .where(sql.ref('state'), '=', sql.lit('booked'))
    .execute();
  await db.schema
    .createIndex('appointments_office_day')
    .on('appointments')
    .columns(['office_id', 'day', 'slot_start'])
    .execute();

  await db.schema
    .createTable('import_turns')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('check', 'import', 'cli')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('waiting', 'running', 'done', 'failed')`),
    )
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // The report of a check or an import run in the background (JSON), read by its page.
    .addColumn('report', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // At most one parse runs: a second 'running' row is refused by the index itself.
  await db.schema
    .createIndex('import_turns_running')
    .on('import_turns')
    .column('state')
    .unique()
    .where(sql.ref('state'), '=', sql.lit('running'))
    .execute();
  await db.schema
    .createIndex('import_turns_state')
    .on('import_turns')
    .columns(['state', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_turns').execute();
  await db.schema.dropIndex('appointments_office_day').execute();
  await db.schema.dropIndex('appointments_person_booked').execute();
  for (const column of [
    'check_in_failures',
    'cancelled_by',
    'cancel_reason',
    'cancelled_at',
    'confirm_code_hash',
    'client_key',
  ]) {
    await db.schema.alterTable('appointments').dropColumn(column).execute();
  }
  await db.schema.dropTable('appointment_days').execute();
  await db.schema.dropTable('appointment_holds').execute();
}
