import type { Request } from 'express';

/**
 * The plain lookup key exists only between intake (or reprint) and printing: it is stored hashed.
 * It waits in the officer's server-side session for 30 minutes so the receipt page can print it
 * and its QR code, then it is gone.
 */
const KEEP_MS = 30 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    freshKeys?: Record<string, { key: string; until: string }>;
  }
}

export function rememberFreshKey(req: Request, code: string, key: string, now: Date): void {
  const keys = req.session.freshKeys ?? {};
  for (const [c, entry] of Object.entries(keys))
    if (entry.until < now.toISOString()) delete keys[c];
  keys[code] = { key, until: new Date(now.getTime() + KEEP_MS).toISOString() };
  req.session.freshKeys = keys;
}

export function freshKeyFor(req: Request, code: string, now: Date): string | null {
  const entry = req.session.freshKeys?.[code];
  return entry && entry.until >= now.toISOString() ? entry.key : null;
}
