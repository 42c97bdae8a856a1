import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Deps } from '../context.js';
import { currentAccountByToken } from '../accounts/accounts.service.js';

/**
 * A registered call display: the hall's screen opened once with a display token
 * (`/man-hinh/<office>?khoa=<token>`, `npm run token -- <user> sảnh --scope display`) keeps the
 * token in an HttpOnly cookie of the display's pages, and the token leaves the address. Its
 * streams then take the places kept for displays (stream-gate.ts), so no client holding sockets
 * can keep the hall's screen dark. The token is checked whenever a stream opens (a revoked or
 * expired token, or one of another office, makes the screen an ordinary public one); a check is
 * remembered for half a minute, so a screen reconnecting costs no query.
 */
const COOKIE = 'mc_display';
const REMEMBER_MS = 30_000;
const ONE_YEAR_S = 365 * 86_400;

const checked = new WeakMap<object, Map<string, { until: number; officeIds: number[] | 'all' }>>();

function cookieToken(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) {
      const value = rest.join('=');
      return /^[\w-]{10,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The offices a display token opens (its account's office; every office for an administrator), or null. */
async function officesOfToken(
  ctx: Deps<'db' | 'clock'>,
  token: string,
): Promise<number[] | 'all' | null> {
  let cache = checked.get(ctx.db);
  if (!cache) checked.set(ctx.db, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(token);
  if (hit && hit.until > now) return hit.officeIds;
  const found = await currentAccountByToken(ctx, token);
  const officeIds =
    found && found.scope === 'display'
      ? found.account.role === 'admin'
        ? ('all' as const)
        : [found.account.officeId]
      : null;
  if (cache.size > 1000) cache.clear();
  if (officeIds) cache.set(token, { until: now + REMEMBER_MS, officeIds });
  else cache.delete(token);
  return officeIds;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

/**
 * The display's key for the stream gate when this request comes from a display registered for
 * the office, else null.
 */
export async function registeredDisplay(
  ctx: Deps<'db' | 'clock'>,
  req: Request,
  officeId: number,
): Promise<string | null> {
  const token = cookieToken(req);
  if (!token) return null;
  const offices = await officesOfToken(ctx, token);
  return offices === 'all' || offices?.includes(officeId) ? keyOf(token) : null;
}

/**
 * `?khoa=<token>` on the display's page: a display token of the office registers this browser
 * (the cookie) and the caller redirects to the address without it. False for any other token.
 */
export async function registerDisplay(
  ctx: Deps<'db' | 'clock' | 'config'>,
  res: Response,
  token: string,
  officeId: number,
): Promise<boolean> {
  if (!/^[\w-]{10,100}$/.test(token)) return false;
  const offices = await officesOfToken(ctx, token);
  if (!(offices === 'all' || offices?.includes(officeId))) return false;
  res.cookie(COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicBaseUrl.startsWith('https://'),
    path: '/man-hinh',
    maxAge: ONE_YEAR_S * 1000,
  });
  return true;
}
