import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { hashPassword } from '../src/accounts/password.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.js';
import { seededCalendarYears } from './calendar.js';
import { OFFICES } from './offices.js';
import { PROCEDURES, REPORT_GROUPS } from './procedures.js';
import { UNIT_OF_REPORT_GROUP, UNITS } from './units.js';
import { seedQueue } from './queue.js';
import { seedPayments } from './payments.js';
import { defaultStepPlan } from '../src/procedures/step-plan.js';

export interface SeedOptions {
  now: Date;
  demoAccounts: boolean;
}

export interface SeedResult {
  inserted: {
    offices: number;
    procedures: number;
    documents: number;
    calendarDays: number;
    accounts: number;
  };
  /** Demo accounts created by this run (empty when they existed already), to print once. */
  createdAccounts: { username: string; role: string; password: string }[];
}

/**
 * Inserts the master data that is missing and leaves everything else alone: running it twice
 * changes nothing, and it never overwrites what an administrator edited.
 */
export async function seedDatabase(
  db: Kysely<Database>,
  options: SeedOptions,
): Promise<SeedResult> {
  const now = options.now.toISOString();
  const inserted = { offices: 0, procedures: 0, documents: 0, calendarDays: 0, accounts: 0 };
  const createdAccounts: SeedResult['createdAccounts'] = [];
  const demoPasswordHash = options.demoAccounts ? await hashPassword(DEMO_PASSWORD) : '';

  await db.transaction().execute(async (tx) => {
    for (const office of OFFICES) {
      const parent = office.parentCode
        ? await tx
            .selectFrom('offices')
            .select('id')
            .where('code', '=', office.parentCode)
            .executeTakeFirstOrThrow()
        : null;
      const result = await tx
        .insertInto('offices')
        .values({
          code: office.code,
          name: office.name,
          short_name: office.shortName,
          address: office.address,
          phone: office.phone,
          working_hours: office.workingHours,
          parent_id: parent?.id ?? null,
          valid_from: office.validFrom,
          valid_to: office.validTo ?? null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      inserted.offices += Number(result.numInsertedOrUpdatedRows ?? 0);
    }

    // Tests of old migrations seed a schema that has no handover tables or report categories yet.
    const schema = await tx.introspection.getTables();
    const tables = new Set(schema.map((t) => t.name));
    const groupsHaveParents = schema
      .find((t) => t.name === 'report_groups')!
      .columns.some((c) => c.name === 'parent_code');
    const accountsHaveDuties = schema
      .find((t) => t.name === 'accounts')!
      .columns.some((c) => c.name === 'counter_duty');
    for (const [position, group] of REPORT_GROUPS.entries()) {
      await tx
        .insertInto('report_groups')
        .values({
          code: group.code,
          name: group.name,
          position,
          ...(groupsHaveParents ? { parent_code: group.parentCode ?? null } : {}),
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    }

    const keepsStepPlans = tables.has('procedure_step_plans');
    if (tables.has('processing_units')) {
      for (const u of UNITS) {
        const office = await tx
          .selectFrom('offices')
          .select('id')
          .where('code', '=', u.officeCode)
          .executeTakeFirst();
        if (!office) continue;
        await tx
          .insertInto('processing_units')
          .values({
            office_id: office.id,
            code: u.code,
            name: u.name,
            active: 1,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['office_id', 'code']).doNothing())
          .execute();
      }
    }

    for (const [position, p] of PROCEDURES.entries()) {
      const result = await tx
        .insertInto('procedures')
        .values({
          code: p.code,
          name: p.name,
          field: p.field,
          report_group: p.reportGroup,
          processing_days: p.processingDays,
          processing_note: p.processingNote ?? '',
          fee_vnd: p.feeVnd,
          fee_note: p.feeNote ?? '',
          legal_basis: p.legalBasis,
          is_vehicle: p.isVehicle ? 1 : 0,
          first_registration: p.firstRegistration ? 1 : 0,
          active: 1,
          position,
          source_note: p.sourceNote,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) continue; // existing procedure: its documents are the admin's
      inserted.procedures += 1;
      const { id } = await tx
        .selectFrom('procedures')
        .select('id')
        .where('code', '=', p.code)
        .executeTakeFirstOrThrow();
      // A new procedure whose steps a particular unit takes gets the default shares with that unit.
      const unitCode = UNIT_OF_REPORT_GROUP[p.reportGroup];
      if (unitCode && keepsStepPlans) {
        const plan = defaultStepPlan(p.processingDays).map((s) => ({
          procedure_id: id,
          kind: s.kind,
          minutes: s.minutes,
          unit_code: s.kind === 'processing' || s.kind === 'approval' ? unitCode : null,
          updated_at: now,
        }));
        await tx.insertInto('procedure_step_plans').values(plan).execute();
      }
      for (const [docPosition, d] of p.documents.entries()) {
        await tx
          .insertInto('procedure_documents')
          .values({
            procedure_id: id,
            name: d.name,
            required: d.required ? 1 : 0,
            copy_kind: d.copyKind,
            quantity: d.quantity ?? 1,
            position: docPosition,
          })
          .execute();
        inserted.documents += 1;
      }
    }

    // The official schedules, and the provisional projection of the years before them (so that
    // imported history gets its holidays); a year already kept is left as it is.
    // On a database migrated only part of the way (tests of old migrations), without the table of
    // kept years, only the official schedules are seeded; the later migration marks them official.
    const keepsYears = (await tx.introspection.getTables()).some(
      (t) => t.name === 'calendar_years',
    );
    const kept = new Set(
      keepsYears
        ? (await tx.selectFrom('calendar_years').select('year').execute()).map((y) => y.year)
        : [],
    );
    for (const { year, status, days } of seededCalendarYears()) {
      if (kept.has(year) || (!keepsYears && status !== 'official')) continue;
      for (const day of days) {
        const result = await tx
          .insertInto('calendar_days')
          .values({ day: day.day, kind: day.kind, name: day.name, created_at: now })
          .onConflict((oc) => oc.column('day').doNothing())
          .executeTakeFirst();
        inserted.calendarDays += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      if (keepsYears)
        await tx.insertInto('calendar_years').values({ year, status, updated_at: now }).execute();
    }

    if (options.demoAccounts) {
      for (const a of DEMO_ACCOUNTS) {
        const office = await tx
          .selectFrom('offices')
          .select('id')
          .where('code', '=', a.officeCode)
          .executeTakeFirst();
        if (!office) continue; // the administrator replaced the demo offices
        const result = await tx
          .insertInto('accounts')
          .values({
            username: a.username,
            full_name: a.fullName,
            role: a.role,
            office_id: office.id,
            password_hash: demoPasswordHash,
            failed_logins: 0,
            locked_until: null,
            active: 1,
            // The counter's officers: not the processing units' members, not the leaders.
            ...(accountsHaveDuties
              ? { counter_duty: a.role === 'officer' && !a.unit ? 1 : 0 }
              : {}),
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('username').doNothing())
          .executeTakeFirst();
        if (a.unit && tables.has('unit_members')) {
          const account = await tx
            .selectFrom('accounts')
            .select('id')
            .where('username', '=', a.username)
            .executeTakeFirstOrThrow();
          const unit = await tx
            .selectFrom('processing_units')
            .select('id')
            .where('office_id', '=', office.id)
            .where('code', '=', a.unit.code)
            .executeTakeFirst();
          if (unit) {
            await tx
              .insertInto('unit_members')
              .values({
                unit_id: unit.id,
                account_id: account.id,
                role: a.unit.role,
                created_at: now,
              })
              .onConflict((oc) => oc.columns(['unit_id', 'account_id']).doNothing())
              .execute();
          }
        }
        if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
          inserted.accounts += 1;
          createdAccounts.push({ username: a.username, role: a.role, password: DEMO_PASSWORD });
        }
      }
    }
    if (tables.has('service_groups')) await seedQueue(tx, now);
    if (tables.has('fee_rules')) await seedPayments(tx, now);
  });
  return { inserted, createdAccounts };
}
