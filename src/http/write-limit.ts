import type { NextFunction, Request, Response } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { TooManyRequestsError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { rateLimitStore } from './rate-limit-store.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes (any unsafe method) per signed-in account, and per API token apart from its account's
 * pages, per minute: a stolen session or token, or a runaway script, cannot flood the database.
 * Anonymous writes (login, the citizen's rating) have their own limits.
 */
export function writeRateLimit(ctx: AppContext) {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.writeRateLimitPerMin,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(ctx, 'writes', 60_000),
    keyGenerator: (req) =>
      `${req.authMethod}:${req.account!.id}:${req.authMethod === 'token' ? (req.get('authorization') ?? '').slice(-12) : ''}`,
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new TooManyRequestsError(vi.errors.tooManyWrites, 60)),
  });
  return (req: Request, res: Response, next: NextFunction) =>
    SAFE_METHODS.has(req.method) || !req.account ? next() : limiter(req, res, next);
}
