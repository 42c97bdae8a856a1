import session from 'express-session';
import type { Db } from '../db/database.js';
import {
  deleteExpiredSessions,
  deleteSession,
  extendSession,
  findSession,
  upsertSession,
} from './accounts.repository.js';

/** The default lifetime after the last request (SESSION_IDLE_SECONDS): a working day plus overtime. */
export const SESSION_TTL_MS = 30 * 60 * 1000;
// Session expiry follows the real clock, like the cookie that express-session dates with
// Date.now(); the injected clock governs domain time (dossier dates, lockouts), not this.

/** Rolling expiry is written at most this often per session (a tenth of its lifetime, ≤ 1 min). */
export const touchEveryMs = (ttlMs: number) => Math.min(60_000, Math.floor(ttlMs / 10));

/** How long a session surely lives after a request: its stored expiry may lag by a touch interval. */
export const sureSessionSeconds = (idleSeconds: number) =>
  idleSeconds - Math.ceil(touchEveryMs(idleSeconds * 1000) / 1000);

type Callback = (err?: unknown, value?: unknown) => void;

/**
 * express-session's store on the `sessions` table. Only the session id's row lives here; the
 * cookie carries nothing but the signed id.
 */
export class DatabaseSessionStore extends session.Store {
  /** When each session's expiry was last pushed forward, so a busy page does not write per request. */
  readonly #touchedAt = new Map<string, number>();

  readonly #touchEveryMs: number;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number = SESSION_TTL_MS,
  ) {
    super();
    this.#touchEveryMs = touchEveryMs(ttlMs);
  }

  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    void (async () => {
      const row = await findSession(this.db, sid);
      if (!row) return callback(null, null);
      if (row.expires_at <= new Date().toISOString()) {
        await deleteSession(this.db, sid);
        return callback(null, null);
      }
      callback(null, JSON.parse(row.data));
    })().catch((err) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    upsertSession(this.db, {
      sid,
      data: JSON.stringify(data),
      account_id: data.accountId ?? null,
      expires_at: this.expiresAt(data),
    }).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    // Rolling expiry needs minute precision at most over a 12-hour session.
    const now = Date.now();
    if (now - (this.#touchedAt.get(sid) ?? 0) < this.#touchEveryMs) {
      callback?.();
      return;
    }
    this.#touchedAt.set(sid, now);
    if (this.#touchedAt.size > 50_000) this.#touchedAt.clear();
    extendSession(this.db, sid, this.expiresAt(data)).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    deleteSession(this.db, sid).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  /** Deletes expired sessions; called at start and from time to time. */
  purgeExpired(): Promise<number> {
    return deleteExpiredSessions(this.db, new Date().toISOString());
  }

  private expiresAt(data: session.SessionData): string {
    const expires = data.cookie?.expires ? new Date(data.cookie.expires) : null;
    return (expires ?? new Date(Date.now() + this.ttlMs)).toISOString();
  }
}
