import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CurrentAccount } from '../http/auth.js';

type Db = Kysely<Database>;

function currentAccountQuery(db: Db) {
  return db
    .selectFrom('accounts')
    .innerJoin('offices', 'offices.id', 'accounts.office_id')
    .select([
      'accounts.id as id',
      'accounts.username as username',
      'accounts.full_name as fullName',
      'accounts.role as role',
      'accounts.office_id as officeId',
      'offices.code as officeCode',
      'offices.name as officeName',
    ])
    .where('accounts.active', '=', 1);
}

export async function findCurrentAccountById(db: Db, id: number): Promise<CurrentAccount | undefined> {
  return currentAccountQuery(db).where('accounts.id', '=', id).executeTakeFirst();
}

export async function findCurrentAccountByTokenHash(db: Db, tokenHash: string): Promise<CurrentAccount | undefined> {
  return currentAccountQuery(db)
    .innerJoin('api_tokens', 'api_tokens.account_id', 'accounts.id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenHash: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at.toISOString() }).where('token_hash', '=', tokenHash).execute();
}

export async function findAccountByUsername(db: Db, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function updateAccountLoginState(
  db: Db,
  id: number,
  state: { failed_logins: number; locked_until: string | null; updated_at: string },
): Promise<void> {
  await db.updateTable('accounts').set(state).where('id', '=', id).execute();
}

export async function insertApiToken(
  db: Db,
  token: { account_id: number; name: string; token_hash: string; created_at: string },
): Promise<number> {
  const row = await db.insertInto('api_tokens').values(token).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
