import { randomBytes } from 'node:crypto';
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** Searches posted by this browser: opaque token -> the fields searched, until when. */
    searches?: Record<string, { fields: Record<string, string>; until: number }>;
  }
}

/** How long a search's result link works. */
const SEARCH_LINK_MS = 30 * 60_000;
/** Searches a session keeps at once (the oldest are forgotten). */
const KEPT = 20;

/**
 * A search whose terms may be an ID number or a phone is posted, never put in the address: its
 * fields stay in the session under a short-lived random token, and the result page's address
 * carries only that token (`?tim=…`), so browser history, proxy logs and the Referer hold nothing
 * personal. Returns the token.
 */
export function rememberSearch(req: Request, fields: Record<string, string>, now: number): string {
  const token = randomBytes(12).toString('base64url');
  const kept = Object.entries(req.session.searches ?? {})
    .filter(([, s]) => s.until > now)
    .slice(-(KEPT - 1));
  req.session.searches = Object.fromEntries([
    ...kept,
    [token, { fields, until: now + SEARCH_LINK_MS }],
  ]);
  return token;
}

/** The fields of a search this browser posted, or null (unknown, another browser's, expired). */
export function recallSearch(req: Request, now: number): Record<string, string> | null {
  const token = req.query.tim;
  if (typeof token !== 'string' || !/^[\w-]{16}$/.test(token)) return null;
  const search = req.session.searches?.[token];
  return search && search.until > now ? search.fields : null;
}

/** The posted fields of a search form, as strings (anything else dropped). */
export function postedFields(body: unknown, names: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    names.filter((n) => typeof b[n] === 'string').map((n) => [n, (b[n] as string).slice(0, 300)]),
  );
}
