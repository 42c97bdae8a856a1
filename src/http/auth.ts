import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import { findCurrentAccountById, findCurrentAccountByTokenHash, touchApiToken } from '../accounts/accounts.repository.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import { isApiRequest } from './request-kind.js';

export interface CurrentAccount {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  officeId: number;
  officeCode: string;
  officeName: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      account?: CurrentAccount;
      authMethod?: 'session' | 'token';
    }
  }
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Puts the signed-in account (session cookie, or bearer token on the API) on the request. */
export function loadAccount(ctx: AppContext) {
  const tokenTouchedAt = new Map<string, number>();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const authorization = req.get('authorization');
    if (authorization && isApiRequest(req)) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const tokenHash = token ? hashApiToken(token) : null;
      const account = tokenHash ? await findCurrentAccountByTokenHash(ctx.db, tokenHash) : undefined;
      if (!account || !tokenHash) return next(new UnauthorizedError('Khóa API không hợp lệ hoặc đã bị thu hồi.'));
      // "Last used" to the minute is enough; not a write per request.
      const now = ctx.clock.now();
      if (now.getTime() - (tokenTouchedAt.get(tokenHash) ?? 0) >= 60_000) {
        tokenTouchedAt.set(tokenHash, now.getTime());
        await touchApiToken(ctx.db, tokenHash, now);
      }
      req.account = account;
      req.authMethod = 'token';
    } else if (req.session?.accountId) {
      const account = await findCurrentAccountById(ctx.db, req.session.accountId);
      if (account) {
        req.account = account;
        req.authMethod = 'session';
      } else {
        delete req.session.accountId; // deactivated or deleted since login
      }
    }
    res.locals.account = req.account ?? null;
    next();
  };
}

/** Pages send anonymous users to the login page; the API answers 401. */
export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.account) return next();
  if (isApiRequest(req) || req.method !== 'GET') return next(new UnauthorizedError());
  res.redirect(303, `/dang-nhap?next=${encodeURIComponent(req.originalUrl)}`);
}

export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    requireLogin(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!roles.includes(req.account!.role)) return next(new ForbiddenError());
      next();
    });
  };
}
