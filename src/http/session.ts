import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { DatabaseSessionStore, sureSessionSeconds } from '../accounts/session-store.js';
import { isApiRequest } from './request-kind.js';

declare module 'express-session' {
  interface SessionData {
    accountId?: number;
    csrfToken?: string;
    flash?: string;
    /** Idempotency keys of intake forms already turned into dossiers: key -> dossier code. */
    submittedForms?: Record<string, string>;
    /** This browser is the office's ticket kiosk (opened once with a kiosk token). */
    kioskOfficeId?: number;
    /** When the officer last asked to keep working (the warning's button): forces a save. */
    keptAliveAt?: number;
  }
}

export function sessionMiddleware(ctx: AppContext): RequestHandler {
  const withSession = session({
    name: 'motcua.sid',
    secret: ctx.config.sessionSecret,
    store: new DatabaseSessionStore(ctx.db, ctx.config.sessionIdleSeconds * 1000),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // 'auto': Secure whenever the request came over HTTPS (directly or via a trusted proxy).
      secure: 'auto',
      maxAge: ctx.config.sessionIdleSeconds * 1000,
    },
  });
  // An API call with a bearer token is authenticated by the token alone (loadAccount); a session
  // would only cost it a cookie parse and a signature check.
  const idleSeconds = ctx.config.sessionIdleSeconds;
  // What a page counts down from; the warning shows 2 minutes before the end (a third of a very
  // short session).
  const sureSeconds = sureSessionSeconds(idleSeconds);
  const warnSeconds = Math.min(120, Math.floor(sureSeconds / 3));
  return (req, res, next) => {
    if (isApiRequest(req) && /^Bearer\s/i.test(req.get('authorization') ?? '')) return next();
    // The officer pages' warning counts down from this (views/partials/session-warning.ejs).
    res.locals.sessionIdleSeconds = sureSeconds;
    res.locals.sessionWarnSeconds = warnSeconds;
    withSession(req, res, next);
  };
}

/** Wraps express-session's callback methods for async route code. */
export function regenerateSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(err) : resolve())),
  );
}

export function saveSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err) => (err ? reject(err) : resolve())),
  );
}
