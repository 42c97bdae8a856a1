import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import type { Role, TokenScope } from '../db/schema.js';
import {
  currentAccountById,
  currentAccountByToken,
  currentAccountByTokenCountingHit,
  recordTokenUse,
} from '../accounts/accounts.service.js';
import type { CurrentAccount } from '../current-account.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { isApiRequest } from './request-kind.js';
import type { WindowCount } from '../db/shared-state.js';
import { isWrite, type WriteLimit } from './write-limit.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      account?: CurrentAccount;
      authMethod?: 'session' | 'token';
      /** The bearer token's scope (token requests only). */
      tokenScope?: TokenScope;
    }
  }
}

/** The one call a portal-scope token opens (src/online). */
export const PORTAL_DELIVERY_PATH = '/api/v1/online-dossiers';
/** The one call a postal-scope token opens (the post's delivery callback). */
export const POSTAL_DELIVERY_PATH = '/api/v1/postal/deliveries';

/** Puts the signed-in account (session cookie, or bearer token on the API) on the request. */
export function loadAccount(ctx: AppContext, writes?: WriteLimit) {
  const tokenTouchedAt = new Map<string, number>();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const authorization = req.get('authorization');
    if (authorization && isApiRequest(req)) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      if (!token) return next(new UnauthorizedError(vi.errors.badToken));
      // A write's hit on the write limit is counted with the token's lookup when the windows
      // are in the database: one round trip instead of two (docs/BENCHMARKS.md).
      const writeHit = writes && isWrite(req) ? writes.tokenHit(token) : null;
      let found: Awaited<ReturnType<typeof currentAccountByToken>>;
      let window: WindowCount | undefined;
      if (writeHit) {
        ({ found, window } = await currentAccountByTokenCountingHit(
          ctx,
          writeHit.counter.db,
          token,
          await writeHit.counter.hitToCount(writeHit.key),
        ));
      } else {
        found = await currentAccountByToken(ctx, token);
      }
      if (!found) return next(new UnauthorizedError(vi.errors.badToken));
      const { account, scope } = found;
      // A read-only token never changes anything; a kiosk token opens only the kiosk's own calls;
      // a portal token only delivers online dossiers.
      if (scope === 'read' && !['GET', 'HEAD'].includes(req.method))
        return next(new ForbiddenError(vi.errors.tokenReadOnly, 'token_scope'));
      if (scope === 'portal' && !(req.method === 'POST' && req.path === PORTAL_DELIVERY_PATH))
        return next(new ForbiddenError(vi.errors.tokenPortalOnly, 'token_scope'));
      if (scope === 'postal' && !(req.method === 'POST' && req.path === POSTAL_DELIVERY_PATH))
        return next(new ForbiddenError(vi.errors.tokenPostalOnly, 'token_scope'));
      // A display token only registers a call display (a cookie of the display's page): no API.
      if (scope === 'display')
        return next(new ForbiddenError(vi.errors.tokenDisplayOnly, 'token_scope'));
      // "Last used" to the minute is enough; not a write per request.
      const now = ctx.clock.now();
      if (now.getTime() - (tokenTouchedAt.get(token) ?? 0) >= 60_000) {
        if (tokenTouchedAt.size > 10_000) tokenTouchedAt.clear();
        tokenTouchedAt.set(token, now.getTime());
        await recordTokenUse(ctx, token, now);
      }
      req.account = account;
      req.authMethod = 'token';
      req.tokenScope = scope;
      // The write limit, next, answers from this window instead of counting the hit again.
      if (writeHit && window) writes!.counted(writeHit.key, window);
    } else if (req.session?.accountId) {
      const account = await currentAccountById(ctx, req.session.accountId);
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
  if (req.account && req.tokenScope === 'kiosk')
    return next(new ForbiddenError(vi.errors.tokenKioskOnly, 'token_scope'));
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
