import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { precompiled } from '../db/precompiled.js';
import { engineOf } from '../db/connect.js';
import { countHit, countHitIn, type WindowCount } from '../db/shared-state.js';
import type { AccountTable, TokenScope, UnitRole } from '../db/schema.js';
import type { CurrentAccount } from '../current-account.js';

/** All SQL on the accounts feature's tables: accounts, api_tokens and sessions. */

function currentAccountQuery(db: Db) {
  return (
    db
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
        'accounts.counter_duty as counter_duty',
      ])
      // Its unit roles, read with the account (one query per request, not two).
      .select((eb) =>
        (['processor', 'approver'] as const).map((role) =>
          eb
            .exists(
              eb
                .selectFrom('unit_members')
                .innerJoin('processing_units', 'processing_units.id', 'unit_members.unit_id')
                .select('unit_members.account_id')
                .whereRef('unit_members.account_id', '=', 'accounts.id')
                .where('unit_members.role', '=', role)
                .where('processing_units.active', '=', 1),
            )
            .as(`is_${role}`),
        ),
      )
      .where('accounts.active', '=', 1)
  );
}

/** The row as every feature sees the signed-in account (a boolean is a number on SQLite). */
function toCurrentAccount<
  T extends {
    counter_duty: number | boolean;
    is_processor: number | boolean;
    is_approver: number | boolean;
  },
>(
  row: T | undefined,
):
  | (Omit<T, 'counter_duty' | 'is_processor' | 'is_approver'> & {
      counterDuty: boolean;
      unitRoles: UnitRole[];
    })
  | undefined {
  if (!row) return undefined;
  const { counter_duty, is_processor, is_approver, ...rest } = row;
  const unitRoles: UnitRole[] = [];
  if (Number(is_processor) === 1 || is_processor === true) unitRoles.push('processor');
  if (Number(is_approver) === 1 || is_approver === true) unitRoles.push('approver');
  return { ...rest, counterDuty: Number(counter_duty) === 1, unitRoles };
}

// Every signed-in request reads its account: built and compiled once (db/precompiled.ts).
const currentAccountRowById = precompiled(['id'], (db, p) =>
  currentAccountQuery(db).where('accounts.id', '=', p.id),
);

const tokenAccountQuery = (db: Db, tokenHash: string) =>
  currentAccountQuery(db)
    .innerJoin('api_tokens', 'api_tokens.account_id', 'accounts.id')
    .select(['api_tokens.scope as scope', 'api_tokens.expires_at as expiresAt'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null);

const currentAccountRowByTokenHash = precompiled(['tokenHash'], (db, p) =>
  tokenAccountQuery(db, p.tokenHash),
);

type TokenAccountRow = Awaited<ReturnType<typeof currentAccountRowByTokenHash>>[number];

// PostgreSQL only (a data-modifying WITH).
const currentAccountRowByTokenHashCounting = precompiled(
  ['tokenHash', 'bucket', 'keyHash', 'nowMs', 'resetsAt'],
  (db, p) =>
    db
      .with('counted', (qb) =>
        countHitIn(qb, {
          bucket: p.bucket,
          keyHash: p.keyHash,
          nowMs: p.nowMs,
          resetsAt: p.resetsAt,
        }).returning(['hits', 'resets_at']),
      )
      .selectFrom('counted')
      .leftJoin(tokenAccountQuery(db, p.tokenHash).as('account'), (join) => join.onTrue())
      .selectAll('account')
      .select(['counted.hits as windowHits', 'counted.resets_at as windowResetsAt']),
);

export async function findCurrentAccountById(
  db: Db,
  id: number,
): Promise<CurrentAccount | undefined> {
  return toCurrentAccount((await currentAccountRowById(db, { id }))[0]);
}

export async function findCurrentAccountByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<(CurrentAccount & { scope: TokenScope; expiresAt: string | null }) | undefined> {
  return toCurrentAccount((await currentAccountRowByTokenHash(db, { tokenHash }))[0]);
}

/**
 * The token's account, and one hit counted in a rate-limit window (db/shared-state.ts) in the
 * same round trip: on PostgreSQL one statement, which must run on the shared state's connection
 * (`ctx.stateDb`, whose commits do not wait for the disk); elsewhere two.
 */
export async function findCurrentAccountByTokenHashCountingHit(
  db: Db,
  tokenHash: string,
  hit: { bucket: string; keyHash: string; nowMs: number; windowMs: number },
): Promise<{
  account: (CurrentAccount & { scope: TokenScope; expiresAt: string | null }) | undefined;
  window: WindowCount;
}> {
  if (engineOf(db) !== 'postgres') {
    const window = await countHit(db, hit.bucket, hit.keyHash, hit.nowMs, hit.windowMs);
    return { account: await findCurrentAccountByTokenHash(db, tokenHash), window };
  }
  const [row] = await currentAccountRowByTokenHashCounting(db, {
    tokenHash,
    bucket: hit.bucket,
    keyHash: hit.keyHash,
    nowMs: hit.nowMs,
    resetsAt: hit.nowMs + hit.windowMs,
  });
  const { windowHits, windowResetsAt, ...account } = row!;
  return {
    // A left join: no token, no account columns.
    account: account.id === null ? undefined : toCurrentAccount(account as TokenAccountRow),
    window: { hits: Number(windowHits), resetsAt: Number(windowResetsAt) },
  };
}

export async function touchApiToken(db: Db, tokenHash: string, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at.toISOString() })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function findAccountByUsername(db: Db, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function insertApiToken(
  tx: Tx,
  token: {
    account_id: number;
    name: string;
    token_hash: string;
    created_at: string;
    scope: TokenScope;
    expires_at: string | null;
  },
): Promise<number> {
  const row = await tx
    .insertInto('api_tokens')
    .values(token)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The oldest active administrator (the console import's default actor). */
export async function findFirstActiveAdmin(db: Db) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirst();
}

// ---- Login attempts per account and client address ------------------------------------------

/**
 * Counts one login attempt for (account, client) before its password is checked, in one atomic
 * statement: a lock that has run out starts a fresh count. Returns the count including this
 * attempt and the lock in force, so parallel guesses cannot all read the same old count.
 */
export async function reserveLoginAttempt(
  tx: Tx,
  accountId: number,
  clientKey: string,
  nowIso: string,
): Promise<{ failures: number; locked_until: string | null }> {
  const expired = sql<boolean>`login_attempts.locked_until is not null and login_attempts.locked_until <= ${nowIso}`;
  return tx
    .insertInto('login_attempts')
    .values({
      account_id: accountId,
      client_key: clientKey,
      failures: 1,
      locked_until: null,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'client_key']).doUpdateSet({
        failures: sql<number>`case when ${expired} then 1 else login_attempts.failures + 1 end`,
        locked_until: sql<
          string | null
        >`case when ${expired} then null else login_attempts.locked_until end`,
        updated_at: nowIso,
      }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow();
}

/** Locks (account, client) until `until`, unless a lock is already in force. */
export async function lockLoginAttempts(
  tx: Tx,
  accountId: number,
  clientKey: string,
  until: string,
  nowIso: string,
): Promise<void> {
  await tx
    .updateTable('login_attempts')
    .set({ locked_until: until, updated_at: nowIso })
    .where('account_id', '=', accountId)
    .where('client_key', '=', clientKey)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .execute();
}

/** A successful login from this client clears its count. */
export async function clearLoginAttempts(
  tx: Tx,
  accountId: number,
  clientKey: string,
): Promise<void> {
  await tx
    .deleteFrom('login_attempts')
    .where('account_id', '=', accountId)
    .where('client_key', '=', clientKey)
    .execute();
}

/** A password reset clears the counts and locks of every client. */
export async function deleteLoginAttemptsOf(tx: Tx, accountId: number): Promise<void> {
  await tx.deleteFrom('login_attempts').where('account_id', '=', accountId).execute();
}

// ---- Administration -------------------------------------------------------------------

export async function findAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .innerJoin('offices', 'offices.id', 'accounts.office_id')
    .select([
      'accounts.id',
      'accounts.username',
      'accounts.full_name',
      'accounts.role',
      'accounts.active',
      'accounts.locked_until',
      'accounts.office_id',
      'offices.name as office_name',
    ])
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

export async function updateAccount(
  tx: Tx,
  id: number,
  patch: Updateable<AccountTable>,
): Promise<void> {
  await tx.updateTable('accounts').set(patch).where('id', '=', id).execute();
}

/** Revokes every live token of an account (deactivation): reactivating it does not revive them. */
export async function revokeAllApiTokens(tx: Tx, accountId: number, at: string): Promise<number> {
  const r = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function findApiTokens(db: Db, accountId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at', 'scope', 'expires_at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

export async function revokeApiToken(
  tx: Tx,
  accountId: number,
  tokenId: number,
  at: string,
): Promise<boolean> {
  const r = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- Sessions (express-session's store) ----------------------------------------------------

export async function findSession(db: Db, sid: string) {
  return db
    .selectFrom('sessions')
    .select(['data', 'expires_at'])
    .where('sid', '=', sid)
    .executeTakeFirst();
}

export async function upsertSession(
  db: Db,
  row: { sid: string; data: string; account_id: number | null; expires_at: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('sid')
        .doUpdateSet({ data: row.data, account_id: row.account_id, expires_at: row.expires_at }),
    )
    .execute();
}

export async function extendSession(db: Db, sid: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('sid', '=', sid).execute();
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.deleteFrom('sessions').where('sid', '=', sid).execute();
}

export async function deleteExpiredSessions(db: Db, nowIso: string): Promise<number> {
  return Number(
    (await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).executeTakeFirst())
      .numDeletedRows,
  );
}

/** Ends every session of an account (deactivated, new role or office, new password). */
export async function deleteSessionsOf(tx: Tx, accountId: number): Promise<void> {
  await tx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}
