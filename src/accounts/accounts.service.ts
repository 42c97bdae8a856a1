import { inTransaction } from '../db/transactions.js';
import { createHmac, randomBytes, createHash } from 'node:crypto';
import type { AppContext, Deps } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import type { WindowCount } from '../db/shared-state.js';
import type { TokenScope } from '../db/schema.js';
import {
  clearLoginAttempts,
  findAccountByUsername,
  findAccountNames,
  findCurrentAccountById,
  findCurrentAccountByTokenHash,
  findCurrentAccountByTokenHashCountingHit,
  findFirstActiveAdmin,
  insertApiToken,
  lockLoginAttempts,
  reserveLoginAttempt,
  touchApiToken,
} from './accounts.repository.js';
import type { CurrentAccount } from '../current-account.js';
import { DUMMY_PASSWORD_HASH_PROMISE, verifyPassword } from './password.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type LoginResult =
  { ok: true; accountId: number } | { ok: false; reason: 'refused' | 'inactive' };

/** A keyed hash of a secret-free value (a client address, an unknown username): linkable, not readable. */
export function keyedDigest(ctx: AppContext, purpose: string, value: string): string {
  return createHmac('sha256', ctx.config.sessionSecret)
    .update(`${purpose}:${value}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Checks a username and password from a client address.
 *
 * - Every attempt is counted for (account, address) *before* the slow hash, in one atomic
 *   statement, so a parallel burst cannot read one old count: the sixth attempt in a window and
 *   every later one are refused whatever the password, and five failures lock that account for
 *   that address for 15 minutes. Another address (the officer at the counter) is not locked out
 *   by a stranger's guesses.
 * - Unknown, locked and wrong all take the same path: the password is always hashed, the answer
 *   is the same word (`refused`), so neither timing nor message tells which accounts exist or
 *   are locked. Only the right password of a deactivated account learns that it is inactive.
 * - Every outcome is an audit event; an unknown username is recorded only as a keyed digest.
 */
export async function logIn(
  ctx: AppContext,
  username: string,
  password: string,
  clientAddress: string,
): Promise<LoginResult> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const account = await findAccountByUsername(ctx.db, username);
  const clientKey = keyedDigest(ctx, 'client', clientAddress);
  const attempt = account
    ? await inTransaction(ctx.db, (tx) => reserveLoginAttempt(tx, account.id, clientKey, nowIso))
    : null;
  const passwordOk = await verifyPassword(
    password,
    account?.password_hash ?? (await DUMMY_PASSWORD_HASH_PROMISE),
  );

  if (!account || !attempt) {
    await recordAudit(ctx.db, {
      at: now,
      action: 'login.failed',
      subject: `unknown:${keyedDigest(ctx, 'username', username)}`,
      details: { reason: 'unknown_user', client: clientKey },
    });
    return { ok: false, reason: 'refused' };
  }
  const actor = { id: account.id, username: account.username };
  const locked = attempt.locked_until !== null && attempt.locked_until > nowIso;
  return inTransaction(ctx.db, async (tx) => {
    if (locked || attempt.failures > MAX_FAILED_LOGINS) {
      await recordAudit(tx, {
        at: now,
        actor,
        action: 'login.failed',
        subject: username,
        details: { reason: 'locked', client: clientKey, attempt: attempt.failures },
      });
      return { ok: false, reason: 'refused' } as const;
    }
    if (passwordOk && !account.active) {
      await recordAudit(tx, {
        at: now,
        actor,
        action: 'login.failed',
        subject: username,
        details: { reason: 'inactive', client: clientKey },
      });
      return { ok: false, reason: 'inactive' } as const;
    }
    if (passwordOk) {
      await clearLoginAttempts(tx, account.id, clientKey);
      await recordAudit(tx, {
        at: now,
        actor,
        action: 'login.succeeded',
        subject: username,
        details: { client: clientKey },
      });
      return { ok: true, accountId: account.id } as const;
    }
    await recordAudit(tx, {
      at: now,
      actor,
      action: 'login.failed',
      subject: username,
      details: { reason: 'wrong_password', client: clientKey, failures: attempt.failures },
    });
    if (attempt.failures >= MAX_FAILED_LOGINS) {
      const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
      await lockLoginAttempts(tx, account.id, clientKey, until, nowIso);
      await recordAudit(tx, {
        at: now,
        actor,
        action: 'login.locked',
        subject: username,
        details: { until, client: clientKey },
      });
    }
    return { ok: false, reason: 'refused' } as const;
  });
}

export async function recordLogout(
  ctx: AppContext,
  actor: { id: number; username: string },
): Promise<void> {
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor,
    action: 'logout',
    subject: actor.username,
  });
}

export interface TokenOptions {
  scope?: TokenScope;
  /** When the token stops working; null for never. */
  expiresAt?: Date | null;
}

/** Issues a bearer token for the API. Only its hash is stored; the token is shown once. */
export async function issueApiToken(
  ctx: AppContext,
  accountId: number,
  name: string,
  issuedBy: { id: number; username: string } | null,
  options: TokenOptions = {},
): Promise<string> {
  const token = `mc_${randomBytes(24).toString('base64url')}`;
  const now = ctx.clock.now();
  const scope = options.scope ?? 'full';
  const expiresAt = options.expiresAt?.toISOString() ?? null;
  await inTransaction(ctx.db, async (tx) => {
    const id = await insertApiToken(tx, {
      account_id: accountId,
      name,
      token_hash: hashApiToken(token),
      created_at: now.toISOString(),
      scope,
      expires_at: expiresAt,
    });
    await recordAudit(tx, {
      at: now,
      actor: issuedBy,
      action: 'api_token.issued',
      subject: String(accountId),
      details: { tokenId: id, name, scope, expiresAt },
    });
  });
  return token;
}

/** The active account behind a session, or undefined (deactivated or deleted since login). */
export function currentAccountById(
  ctx: AppContext,
  id: number,
): Promise<CurrentAccount | undefined> {
  return findCurrentAccountById(ctx.db, id);
}

/** The active account behind an API token that is neither revoked nor expired, with the token's scope. */
export async function currentAccountByToken(
  ctx: Deps<'db' | 'clock'>,
  token: string,
): Promise<{ account: CurrentAccount; scope: TokenScope } | undefined> {
  return usableToken(ctx, await findCurrentAccountByTokenHash(ctx.db, hashApiToken(token)));
}

/** The token's account and scope, unless it has expired. */
function usableToken(
  ctx: Deps<'clock'>,
  row: (CurrentAccount & { scope: TokenScope; expiresAt: string | null }) | undefined,
): { account: CurrentAccount; scope: TokenScope } | undefined {
  if (!row) return undefined;
  const { scope, expiresAt, ...account } = row;
  if (expiresAt && expiresAt <= ctx.clock.now().toISOString()) return undefined;
  return { account, scope };
}

/**
 * Like currentAccountByToken, and counts one hit in a rate-limit window in the same round trip
 * (the token's writes, http/write-limit.ts): `db` is the shared state's database.
 */
export async function currentAccountByTokenCountingHit(
  ctx: Deps<'clock'>,
  db: Db,
  token: string,
  hit: { bucket: string; keyHash: string; nowMs: number; windowMs: number },
): Promise<{
  found: { account: CurrentAccount; scope: TokenScope } | undefined;
  window: WindowCount;
}> {
  const { account: row, window } = await findCurrentAccountByTokenHashCountingHit(
    db,
    hashApiToken(token),
    hit,
  );
  return { found: usableToken(ctx, row), window };
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

/** The stored form of an API bearer token (tokens are random, so a plain SHA-256 is enough). */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
