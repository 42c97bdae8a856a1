import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// What the official forms and the monthly report need (docs/DOMAIN.md §8, §6):
// - vehicle registration reported as ô tô, mô tô and xe máy điện: report groups under the
//   catalog's group, chosen at intake from the vehicle kind (existing dossiers moved here; the
//   report triggers move their counts);
// - the applicant's e-mail, the receiving and return channels and the fee, kept with the dossier;
// - the place name forms print ("Lý Nhân, ngày …"), and which form set a procedure prints
//   (TT 03/2025's by default; an administrator may choose the police sector forms);
// - registers that number the supplement, refusal, apology and stop forms per office and year.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_groups').addColumn('parent_code', 'text').execute();
  const hasVehicleGroup =
    (await db.selectFrom('report_groups').select('code').where('code', '=', 'dang_ky_xe').execute())
      .length > 0;
  if (hasVehicleGroup) {
    await db
      .updateTable('report_groups')
      .set({ position: 8 })
      .where('code', '=', 'cu_tru')
      .execute();
    await db
      .updateTable('report_groups')
      .set({ position: 9 })
      .where('code', '=', 'tam_tru')
      .execute();
    await db
      .insertInto('report_groups')
      .values([
        { code: 'o_to', name: 'Đăng ký xe ô tô', position: 5, parent_code: 'dang_ky_xe' },
        { code: 'mo_to', name: 'Đăng ký xe mô tô', position: 6, parent_code: 'dang_ky_xe' },
        {
          code: 'xe_may_dien',
          name: 'Đăng ký xe máy điện',
          position: 7,
          parent_code: 'dang_ky_xe',
        },
      ])
      .execute();
    await sql`update dossiers set report_group = case vehicle_kind when 'car' then 'o_to' when 'motorbike' then 'mo_to' else 'xe_may_dien' end
      where report_group = 'dang_ky_xe' and vehicle_kind in ('car', 'motorbike', 'e_bike')`.execute(
      db,
    );
  }

  await db.schema.alterTable('dossiers').addColumn('email', 'text').execute();
  await db.schema
    .alterTable('dossiers')
    .addColumn('receiving_channel', 'text', (c) =>
      c
        .notNull()
        .defaultTo('counter')
        .check(sql`receiving_channel in ('counter', 'online', 'post')`),
    )
    .execute();
  await db.schema
    .alterTable('dossiers')
    .addColumn('return_channel', 'text', (c) =>
      c
        .notNull()
        .defaultTo('counter')
        .check(sql`return_channel in ('counter', 'post', 'online')`),
    )
    .execute();
  await db.schema.alterTable('dossiers').addColumn('fee_vnd', 'integer').execute();
  await sql`update dossiers set fee_vnd = (select p.fee_vnd from procedures p where p.id = dossiers.procedure_id) where intake_outcome = 'accepted'`.execute(
    db,
  );

  await db.schema
    .alterTable('offices')
    .addColumn('place_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('procedures')
    .addColumn('form_set', 'text', (c) =>
      c
        .notNull()
        .defaultTo('tt03')
        .check(sql`form_set in ('tt03', 'residence', 'id_card')`),
    )
    .execute();

  await db.schema
    .createTable('form_registers')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('form_registers_pk', ['office_id', 'kind', 'year'])
    .execute();
  await db.schema
    .createTable('dossier_forms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('supplement', 'refusal', 'apology', 'stop')`),
    )
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addUniqueConstraint('dossier_forms_number', ['office_id', 'kind', 'year', 'number'])
    .execute();
  await db.schema
    .createIndex('dossier_forms_dossier')
    .on('dossier_forms')
    .columns(['dossier_id', 'kind', 'id'])
    .execute();
  await db.schema
    .createIndex('dossier_forms_office_issued')
    .on('dossier_forms')
    .columns(['office_id', 'issued_at'])
    .execute();

  // The tracking book's covering index (SQLite) gains the vehicle kind and the return channel.
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql`create index dossiers_tracking_book on dossiers
      (office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name, applicant_name, personal_id, address, phone,
       due_at, rescheduled_due_at, result_at, returned_at, closed_at, status, outcome, returned_to, note, vehicle_kind, return_channel)`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql`create index dossiers_tracking_book on dossiers
      (office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name, applicant_name, personal_id, address, phone,
       due_at, rescheduled_due_at, result_at, returned_at, closed_at, status, outcome, returned_to, note)`.execute(
      db,
    );
  }
  await db.schema.dropTable('dossier_forms').execute();
  await db.schema.dropTable('form_registers').execute();
  await sql`update dossiers set report_group = 'dang_ky_xe' where report_group in ('o_to', 'mo_to', 'xe_may_dien')`.execute(
    db,
  );
  await db.deleteFrom('report_groups').where('parent_code', '=', 'dang_ky_xe').execute();
  for (const [table, column] of [
    ['procedures', 'form_set'],
    ['offices', 'place_name'],
    ['dossiers', 'fee_vnd'],
    ['dossiers', 'return_channel'],
    ['dossiers', 'receiving_channel'],
    ['dossiers', 'email'],
    ['report_groups', 'parent_code'],
  ] as const) {
    await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
