import type { AppContext } from '../../src/context.js';
import type { CurrentAccount } from '../../src/current-account.js';
import { findCurrentAccountById } from '../../src/accounts/accounts.repository.js';

/** Ticks every document of a procedure: the ids a complete dossier would send. */
export async function documentIds(
  ctx: AppContext,
  procedureCode: string,
  which: 'all' | 'required' = 'all',
): Promise<string[]> {
  let q = ctx.db
    .selectFrom('procedure_documents')
    .innerJoin('procedures', 'procedures.id', 'procedure_documents.procedure_id')
    .select('procedure_documents.id')
    .where('procedures.code', '=', procedureCode);
  if (which === 'required') q = q.where('procedure_documents.required', '=', 1);
  return (await q.orderBy('procedure_documents.position').execute()).map((r) => String(r.id));
}

/** A complete, valid căn cước intake (Hà Nam-born man, 1990). */
export async function validIntake(ctx: AppContext, overrides: Record<string, unknown> = {}) {
  return {
    procedure_code: '2.000200',
    outcome: 'accept',
    documents: await documentIds(ctx, '2.000200'),
    applicant_name: 'Nguyễn Văn An',
    personal_id: '035090001234',
    birth_date: '1990-05-01',
    sex: 'male',
    phone: '0912345678',
    address: 'Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam',
    note: '',
    ...overrides,
  };
}

export async function accountNamed(ctx: AppContext, username: string): Promise<CurrentAccount> {
  const row = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return (await findCurrentAccountById(ctx.db, row.id))!;
}

/** Adds an officer at another office (a commune), for permission tests. */
export async function createOfficerAt(
  ctx: AppContext,
  officeCode: string,
  username: string,
): Promise<void> {
  const office = await ctx.db
    .selectFrom('offices')
    .select('id')
    .where('code', '=', officeCode)
    .executeTakeFirstOrThrow();
  const template = await ctx.db
    .selectFrom('accounts')
    .select('password_hash')
    .where('username', '=', 'canbo')
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  await ctx.db
    .insertInto('accounts')
    .values({
      username,
      full_name: 'Lê Văn Xã',
      role: 'officer',
      office_id: office.id,
      password_hash: template.password_hash,
      failed_logins: 0,
      locked_until: null,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * For tests against a real server on the real clock: the office works around the clock, today
 * and tomorrow are working days (make-up days where the calendar says otherwise), so the kiosk
 * issues numbers whatever the hour and day the suite runs at.
 */
export async function openAroundTheClock(ctx: AppContext, officeCode: string): Promise<void> {
  await ctx.db
    .updateTable('offices')
    .set({ working_hours: '00:00-23:59' })
    .where('code', '=', officeCode)
    .execute();
  const local = (offset: number) =>
    new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  for (const day of [local(0), local(1)]) {
    await ctx.db.deleteFrom('calendar_days').where('day', '=', day).execute();
    await ctx.db
      .insertInto('calendar_days')
      .values({
        day,
        kind: 'make_up_workday',
        name: 'Kiểm thử',
        created_at: new Date().toISOString(),
      })
      .execute();
  }
}
