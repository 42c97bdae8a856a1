import type { NextFunction, Request, RequestHandler, Response } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { hashApiToken } from '../accounts/accounts.service.js';
import { TooManyRequestsError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { CounterStore, DatabaseWindowCounter, windowCounter } from './rate-limit-store.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request may change something, and so counts against the write limit. */
export const isWrite = (req: Request) => !SAFE_METHODS.has(req.method);

export interface WriteLimit {
  /** The limit itself, after `loadAccount`. */
  middleware: RequestHandler;
  /**
   * For a token's write when the windows are in the database: the counter and the key whose
   * hit `loadAccount` counts in the statement that reads the token's account (one round trip
   * instead of two); it then reports the window with `counted`. Null when the windows are in
   * this process's memory (nothing to save).
   */
  tokenHit(token: string): { counter: DatabaseWindowCounter; key: string } | null;
  counted(key: string, window: { hits: number; resetsAt: number }): void;
}

/** The window's key of a token's writes: the token itself (by its hash), whoever it belongs to. */
const tokenKey = (token: string) => `token:${hashApiToken(token)}`;

/**
 * Writes (any unsafe method) per signed-in account, and per API token apart from its account's
 * pages, per minute: a stolen session or token, or a runaway script, cannot flood the database.
 * Anonymous writes (login, the citizen's rating) have their own limits.
 */
export function writeRateLimit(ctx: AppContext): WriteLimit {
  const counter = windowCounter(ctx, 'writes', 60_000);
  const store = new CounterStore(counter, ctx.clock);
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.writeRateLimitPerMin,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store,
    keyGenerator: (req) =>
      req.authMethod === 'token'
        ? tokenKey(/^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '')
        : `session:${req.account!.id}:`,
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new TooManyRequestsError(vi.errors.tooManyWrites, 60)),
  });
  return {
    middleware: (req, res, next) =>
      !isWrite(req) || !req.account ? next() : limiter(req, res, next),
    tokenHit: (token) =>
      counter instanceof DatabaseWindowCounter ? { counter, key: tokenKey(token) } : null,
    counted: (key, window) => store.counted(key, window),
  };
}
