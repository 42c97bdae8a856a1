import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The dossier's path after the counter (docs/ARCHITECTURE.md "Handover"):
// - processing units under each office, and their members with a unit-scoped role
//   (processor: cán bộ xử lý; approver: lãnh đạo đơn vị); accounts keep their own role;
// - each office's working hours, the unit of every step deadline;
// - a step plan per procedure (minutes of working time per step, which unit code processes);
// - the steps each dossier went through: holder, start, deadline, finish and outcome, one row
//   per handover, so the process-control slip (Mẫu 06) prints from them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('offices')
    .addColumn('working_hours', 'text', (c) => c.notNull().defaultTo('07:00-11:30,13:30-17:00'))
    .execute();

  await db.schema
    .createTable('processing_units')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('processing_units_office_code', ['office_id', 'code'])
    .execute();

  await db.schema
    .createTable('unit_members')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('processing_units.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('processor', 'approver')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_members_pk', ['unit_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('unit_members_account')
    .on('unit_members')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('procedure_step_plans')
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('reception', 'processing', 'approval', 'result')`),
    )
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes >= 0`))
    // The code of the unit that takes this step in each office (null: the office's first unit).
    .addColumn('unit_code', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_step_plans_pk', ['procedure_id', 'kind'])
    .execute();

  await db.schema
    .createTable('dossier_steps')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('reception', 'processing', 'approval', 'result', 'return')`),
    )
    // Null unit: the office's reception counter (Bộ phận tiếp nhận và trả kết quả).
    .addColumn('unit_id', 'integer', (c) => c.references('processing_units.id'))
    .addColumn('holder_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('holder_name', 'text')
    .addColumn('given_by_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('given_by_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('planned_minutes', 'integer')
    .addColumn('due_at', 'text')
    .addColumn('risk_at', 'text')
    .addColumn('due_explanation', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('finished_by_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('finished_by_name', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('early', 'on_time', 'late')`))
    .addColumn('worked_minutes', 'integer')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('dossier_steps_position', ['dossier_id', 'position'])
    .execute();
  // Open steps by holder, by unit and by deadline: the worklists and the escalation lists.
  await db.schema
    .createIndex('dossier_steps_open_holder')
    .on('dossier_steps')
    .columns(['holder_account_id', 'finished_at'])
    .execute();
  await db.schema
    .createIndex('dossier_steps_open_unit')
    .on('dossier_steps')
    .columns(['unit_id', 'finished_at', 'due_at'])
    .execute();
  await db.schema
    .createIndex('dossier_steps_office_open')
    .on('dossier_steps')
    .columns(['office_id', 'finished_at', 'due_at'])
    .execute();
  await db.schema
    .createIndex('dossier_steps_office_finished')
    .on('dossier_steps')
    .columns(['office_id', 'finished_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dossier_steps').execute();
  await db.schema.dropTable('procedure_step_plans').execute();
  await db.schema.dropTable('unit_members').execute();
  await db.schema.dropTable('processing_units').execute();
  await db.schema.alterTable('offices').dropColumn('working_hours').execute();
}
