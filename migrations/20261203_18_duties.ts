import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Who may do what to a dossier (docs/ARCHITECTURE.md "Who may act"):
// - an account's counter duty (tiếp nhận và trả kết quả): only the counter reprints a receipt
//   and takes the counter's actions; officers already in a processing unit are not the counter;
// - whether an office lets its supervisors act in a processing unit's place;
// - a step done in a unit's place says so.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('counter_duty', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`update accounts set counter_duty = 0
    where role <> 'officer' or id in (select account_id from unit_members)`.execute(db);
  await db.schema
    .alterTable('offices')
    .addColumn('supervisor_acts_for_units', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('dossier_steps')
    .addColumn('on_behalf', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossier_steps').dropColumn('on_behalf').execute();
  await db.schema.alterTable('offices').dropColumn('supervisor_acts_for_units').execute();
  await db.schema.alterTable('accounts').dropColumn('counter_duty').execute();
}
