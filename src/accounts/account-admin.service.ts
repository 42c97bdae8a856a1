import { inTransaction } from '../db/transactions.js';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { officeById } from '../offices/offices.service.js';
import { parseInput } from '../validation.js';
import {
  accountCreateSchema,
  accountEditSchema,
  passwordResetSchema,
  tokenSchema,
} from './account-admin.forms.js';
import * as repo from './accounts.repository.js';
import { issueApiToken } from './accounts.service.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { hashPassword } from './password.js';

/**
 * The administrator's side of accounts: create, edit, deactivate, reset a password, issue and
 * revoke API tokens. Every change is validated (a message per field) and audited in the same
 * transaction.
 */
const L = vi.admin.account;

export const listAccounts = (ctx: AppContext) => repo.findAccounts(ctx.db);
export const accountById = (ctx: AppContext, id: number) => repo.findAccount(ctx.db, id);
export const tokensOf = (ctx: AppContext, accountId: number) =>
  repo.findApiTokens(ctx.db, accountId);

async function requireOffice(ctx: AppContext, id: number): Promise<void> {
  if (!(await officeById(ctx, id))) throw new ValidationError({ office_id: L.officeRequired });
}

export async function createAccount(
  ctx: AppContext,
  admin: CurrentAccount,
  raw: unknown,
): Promise<number> {
  const input = parseInput(accountCreateSchema, raw);
  await requireOffice(ctx, input.office_id);
  if (await repo.findAccountByUsername(ctx.db, input.username))
    throw new ValidationError({ username: L.usernameTaken });
  const now = ctx.clock.now().toISOString();
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx.db, async (tx) => {
    const id = await repo.insertAccount(tx, {
      username: input.username,
      full_name: input.full_name,
      role: input.role,
      office_id: input.office_id,
      counter_duty: input.counter_duty ? 1 : 0,
      password_hash: passwordHash,
      failed_logins: 0,
      locked_until: null,
      active: 1,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'account.created',
      subject: input.username,
      details: { role: input.role, officeId: input.office_id, counterDuty: input.counter_duty },
    });
    return id;
  });
}

export async function updateAccount(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number,
  raw: unknown,
): Promise<void> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account) throw new NotFoundError();
  const input = parseInput(accountEditSchema, raw);
  await requireOffice(ctx, input.office_id);
  if (id === admin.id && (!input.active || input.role !== 'admin'))
    throw new ValidationError({ role: L.cannotDemoteSelf });
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateAccount(tx, id, {
      full_name: input.full_name,
      role: input.role,
      office_id: input.office_id,
      counter_duty: input.counter_duty ? 1 : 0,
      active: input.active ? 1 : 0,
      updated_at: ctx.clock.now().toISOString(),
    });
    // A deactivated account or a changed role takes effect now, not at the next login.
    if (!input.active || input.role !== account.role || input.office_id !== account.office_id)
      await repo.deleteSessionsOf(tx, id);
    // Deactivation also revokes its API tokens for good: reactivating the account revives none.
    const revoked = input.active
      ? 0
      : await repo.revokeAllApiTokens(tx, id, ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'account.updated',
      subject: account.username,
      details: {
        role: input.role,
        officeId: input.office_id,
        counterDuty: input.counter_duty,
        active: input.active,
        tokensRevoked: revoked,
      },
    });
  });
}

export async function resetPassword(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number,
  raw: unknown,
): Promise<void> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account) throw new NotFoundError();
  const input = parseInput(passwordResetSchema, raw);
  const hash = await hashPassword(input.password);
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateAccount(tx, id, {
      password_hash: hash,
      failed_logins: 0,
      locked_until: null,
      updated_at: ctx.clock.now().toISOString(),
    });
    await repo.deleteSessionsOf(tx, id);
    await repo.deleteLoginAttemptsOf(tx, id);
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'account.password_reset',
      subject: account.username,
    });
  });
}

export async function issueToken(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number,
  raw: unknown,
): Promise<string> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account || !account.active) throw new NotFoundError();
  const input = parseInput(tokenSchema, raw);
  const expiresAt =
    input.expires_days === null
      ? null
      : new Date(ctx.clock.now().getTime() + input.expires_days * 86_400_000);
  return issueApiToken(ctx, id, input.name, actorOf(admin), { scope: input.scope, expiresAt });
}

export async function revokeToken(
  ctx: AppContext,
  admin: CurrentAccount,
  accountId: number,
  tokenId: number,
): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    if (!(await repo.revokeApiToken(tx, accountId, tokenId, ctx.clock.now().toISOString())))
      throw new NotFoundError();
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'api_token.revoked',
      subject: String(accountId),
      details: { tokenId },
    });
  });
}
