import { isApiRequest } from './request-kind.js';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // one working day plus overtime
const TOUCH_EVERY_MS = 60 * 1000;
// Session expiry follows the real clock, like the cookie that express-session dates with
// Date.now(); the injected clock governs domain time (dossier dates, lockouts), not this.

declare module 'express-session' {
  interface SessionData {
    accountId?: number;
    csrfToken?: string;
    flash?: string;
    /** Idempotency keys of intake forms already turned into dossiers: key -> dossier code. */
    submittedForms?: Record<string, string>;
  }
}

type Callback = (err?: unknown, value?: unknown) => void;

/**
 * express-session's store on our own `sessions` table, through Kysely like every other query.
 * Only the session id's row lives here; the cookie carries nothing but the signed id.
 */
export class DatabaseSessionStore extends session.Store {
  /** When each session's expiry was last pushed forward, so a busy page does not write per request. */
  readonly #touchedAt = new Map<string, number>();

  constructor(private readonly ctx: AppContext) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    void (async () => {
      const row = await this.ctx.db
        .selectFrom('sessions')
        .select(['data', 'expires_at'])
        .where('sid', '=', sid)
        .executeTakeFirst();
      if (!row) return callback(null, null);
      if (row.expires_at <= new Date().toISOString()) {
        await this.ctx.db.deleteFrom('sessions').where('sid', '=', sid).execute();
        return callback(null, null);
      }
      callback(null, JSON.parse(row.data));
    })().catch((err) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    void (async () => {
      const expiresAt = this.expiresAt(data);
      const values = {
        sid,
        data: JSON.stringify(data),
        account_id: data.accountId ?? null,
        expires_at: expiresAt,
      };
      await this.ctx.db
        .insertInto('sessions')
        .values(values)
        .onConflict((oc) => oc.column('sid').doUpdateSet({ data: values.data, account_id: values.account_id, expires_at: expiresAt }))
        .execute();
      callback?.();
    })().catch((err) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    // Rolling expiry needs minute precision at most over a 12-hour session.
    const now = Date.now();
    if (now - (this.#touchedAt.get(sid) ?? 0) < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.#touchedAt.set(sid, now);
    if (this.#touchedAt.size > 50_000) this.#touchedAt.clear();
    void this.ctx.db
      .updateTable('sessions')
      .set({ expires_at: this.expiresAt(data) })
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (err) => callback?.(err));
  }

  override destroy(sid: string, callback?: Callback): void {
    void this.ctx.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (err) => callback?.(err));
  }

  /** Deletes expired sessions; called at start and from time to time. */
  async purgeExpired(): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', new Date().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private expiresAt(data: session.SessionData): string {
    const expires = data.cookie?.expires ? new Date(data.cookie.expires) : null;
    return (expires ?? new Date(new Date().getTime() + SESSION_TTL_MS)).toISOString();
  }
}

export function sessionMiddleware(ctx: AppContext): RequestHandler {
  const withSession = session({
    name: 'motcua.sid',
    secret: ctx.config.sessionSecret,
    store: new DatabaseSessionStore(ctx),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // 'auto': Secure whenever the request came over HTTPS (directly or via a trusted proxy).
      secure: 'auto',
      maxAge: SESSION_TTL_MS,
    },
  });
  // An API call with a bearer token is authenticated by the token alone (loadAccount); a session
  // would only cost it a cookie parse and a signature check.
  return (req, res, next) => (isApiRequest(req) && /^Bearer\s/i.test(req.get('authorization') ?? '') ? next() : withSession(req, res, next));
}

/** Wraps express-session's callback methods for async route code. */
export function regenerateSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
