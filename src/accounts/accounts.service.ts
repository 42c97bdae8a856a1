import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  findAccountByUsername,
  findAccountNames,
  findFirstActiveAdmin,
  findCurrentAccountById,
  findCurrentAccountByTokenHash,
  insertApiToken,
  touchApiToken,
  updateAccountLoginState,
} from './accounts.repository.js';
import { hashApiToken, type CurrentAccount } from './current-account.js';
import { DUMMY_PASSWORD_HASH_PROMISE, verifyPassword } from './password.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type LoginResult =
  | { ok: true; accountId: number }
  | { ok: false; reason: 'invalid' | 'inactive' }
  | { ok: false; reason: 'locked'; minutesLeft: number };

/**
 * Checks a username and password. Five failures in a row lock the account for 15 minutes; while
 * locked even the right password is refused. Every outcome is an audit event. Unknown usernames
 * cost the same scrypt work as known ones, so timing does not reveal which accounts exist.
 */
export async function logIn(ctx: AppContext, username: string, password: string): Promise<LoginResult> {
  const now = ctx.clock.now();
  const account = await findAccountByUsername(ctx.db, username);
  if (!account) {
    await verifyPassword(password, await DUMMY_PASSWORD_HASH_PROMISE);
    await recordAudit(ctx.db, { at: now, action: 'login.failed', subject: username, details: { reason: 'unknown_user' } });
    return { ok: false, reason: 'invalid' };
  }
  const actor = { id: account.id, username: account.username };

  if (account.locked_until && account.locked_until > now.toISOString()) {
    await recordAudit(ctx.db, { at: now, actor, action: 'login.failed', subject: username, details: { reason: 'locked' } });
    const minutesLeft = Math.ceil((Date.parse(account.locked_until) - now.getTime()) / 60_000);
    return { ok: false, reason: 'locked', minutesLeft };
  }

  const passwordOk = await verifyPassword(password, account.password_hash);
  if (passwordOk && !account.active) {
    await recordAudit(ctx.db, { at: now, actor, action: 'login.failed', subject: username, details: { reason: 'inactive' } });
    return { ok: false, reason: 'inactive' };
  }

  return ctx.db.transaction().execute(async (tx) => {
    if (passwordOk) {
      await updateAccountLoginState(tx, account.id, { failed_logins: 0, locked_until: null, updated_at: now.toISOString() });
      await recordAudit(tx, { at: now, actor, action: 'login.succeeded', subject: username });
      return { ok: true, accountId: account.id } as const;
    }
    // A lock that has run out starts a fresh count.
    const previousFailures = account.locked_until ? 0 : account.failed_logins;
    const failures = previousFailures + 1;
    const locks = failures >= MAX_FAILED_LOGINS;
    const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    await updateAccountLoginState(tx, account.id, {
      failed_logins: locks ? 0 : failures,
      locked_until: lockedUntil,
      updated_at: now.toISOString(),
    });
    await recordAudit(tx, { at: now, actor, action: 'login.failed', subject: username, details: { reason: 'wrong_password', failures } });
    if (locks) {
      await recordAudit(tx, { at: now, actor, action: 'login.locked', subject: username, details: { until: lockedUntil } });
      return { ok: false, reason: 'locked', minutesLeft: LOCKOUT_MINUTES } as const;
    }
    return { ok: false, reason: 'invalid' } as const;
  });
}

export async function recordLogout(ctx: AppContext, actor: { id: number; username: string }): Promise<void> {
  await recordAudit(ctx.db, { at: ctx.clock.now(), actor, action: 'logout', subject: actor.username });
}

/** Issues a bearer token for the API. Only its hash is stored; the token is shown once. */
export async function issueApiToken(
  ctx: AppContext,
  accountId: number,
  name: string,
  issuedBy: { id: number; username: string } | null,
): Promise<string> {
  const token = `mc_${randomBytes(24).toString('base64url')}`;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const id = await insertApiToken(tx, { account_id: accountId, name, token_hash: hashApiToken(token), created_at: now.toISOString() });
    await recordAudit(tx, { at: now, actor: issuedBy, action: 'api_token.issued', subject: String(accountId), details: { tokenId: id, name } });
  });
  return token;
}

/** The active account behind a session, or undefined (deactivated or deleted since login). */
export function currentAccountById(ctx: AppContext, id: number): Promise<CurrentAccount | undefined> {
  return findCurrentAccountById(ctx.db, id);
}

/** The active account behind an API token that is not revoked, or undefined. */
export function currentAccountByToken(ctx: AppContext, token: string): Promise<CurrentAccount | undefined> {
  return findCurrentAccountByTokenHash(ctx.db, hashApiToken(token));
}

export async function recordTokenUse(ctx: AppContext, token: string, at: Date): Promise<void> {
  await touchApiToken(ctx.db, hashApiToken(token), at);
}

/** The account named `username`, active or not (console tools). */
export function accountByUsername(ctx: AppContext, username: string) {
  return findAccountByUsername(ctx.db, username);
}

/** Officers' names by id, for reports. */
export function accountNames(ctx: AppContext) {
  return findAccountNames(ctx.db);
}

/** The oldest active administrator, or undefined. */
export function firstActiveAdmin(ctx: AppContext) {
  return findFirstActiveAdmin(ctx.db);
}
