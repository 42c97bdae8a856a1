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
