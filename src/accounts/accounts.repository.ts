import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { AccountTable } from '../db/schema.js';
import type { CurrentAccount } from './current-account.js';

/** All SQL on the accounts feature's tables: accounts, api_tokens and sessions. */

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

export async function updateAccountLoginState(tx: Tx, id: number, state: { failed_logins: number; locked_until: string | null; updated_at: string }): Promise<void> {
  await tx.updateTable('accounts').set(state).where('id', '=', id).execute();
}

export async function insertApiToken(tx: Tx, token: { account_id: number; name: string; token_hash: string; created_at: string }): Promise<number> {
  const row = await tx.insertInto('api_tokens').values(token).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The oldest active administrator (the console import's default actor). */
export async function findFirstActiveAdmin(db: Db) {
  return db.selectFrom('accounts').selectAll().where('role', '=', 'admin').where('active', '=', 1).orderBy('id').executeTakeFirst();
}

// ---- Administration -------------------------------------------------------------------

export async function findAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .innerJoin('offices', 'offices.id', 'accounts.office_id')
    .select(['accounts.id', 'accounts.username', 'accounts.full_name', 'accounts.role', 'accounts.active', 'accounts.locked_until', 'offices.name as office_name'])
    .orderBy('accounts.username')
    .execute();
}

export async function findAccount(db: Db, id: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Officers' names by id, for reports. */
export async function findAccountNames(db: Db) {
  return db.selectFrom('accounts').select(['id', 'full_name']).execute();
}

export async function insertAccount(tx: Tx, row: Insertable<AccountTable>): Promise<number> {
  return (await tx.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateAccount(tx: Tx, id: number, patch: Updateable<AccountTable>): Promise<void> {
  await tx.updateTable('accounts').set(patch).where('id', '=', id).execute();
}

export async function findApiTokens(db: Db, accountId: number) {
  return db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('account_id', '=', accountId).orderBy('id').execute();
}

export async function revokeApiToken(tx: Tx, accountId: number, tokenId: number, at: string): Promise<boolean> {
  const r = await tx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- Sessions (express-session's store) ----------------------------------------------------

export async function findSession(db: Db, sid: string) {
  return db.selectFrom('sessions').select(['data', 'expires_at']).where('sid', '=', sid).executeTakeFirst();
}

export async function upsertSession(db: Db, row: { sid: string; data: string; account_id: number | null; expires_at: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values(row)
    .onConflict((oc) => oc.column('sid').doUpdateSet({ data: row.data, account_id: row.account_id, expires_at: row.expires_at }))
    .execute();
}

export async function extendSession(db: Db, sid: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('sid', '=', sid).execute();
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.deleteFrom('sessions').where('sid', '=', sid).execute();
}

export async function deleteExpiredSessions(db: Db, nowIso: string): Promise<number> {
  return Number((await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).executeTakeFirst()).numDeletedRows);
}

/** Ends every session of an account (deactivated, new role or office, new password). */
export async function deleteSessionsOf(tx: Tx, accountId: number): Promise<void> {
  await tx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}
