import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { rateLimitStore } from '../http/rate-limit-store.js';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { vi } from '../locale/vi.js';
import { regenerateSession, saveSession } from '../http/session.js';
import { requireLogin } from '../http/auth.js';
import { isSamePath, resumedFormOf } from '../http/resume.js';
import { setFlash } from '../http/view-locals.js';
import { logIn, recordLogout } from './accounts.service.js';
import { sureSessionSeconds } from './session-store.js';

const loginForm = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(500),
});

/** Only same-site relative paths: an open redirect would let a phishing link borrow our login. */
function safeNextPath(next: unknown): string {
  return isSamePath(next) ? next : '/';
}

export function accountRoutes(ctx: AppContext): Router {
  const router = Router();

  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: ctx.config.loginRateLimitPer15Min,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Only failures count: a counter that logs in all day never meets the limit.
    skipSuccessfulRequests: true,
    store: rateLimitStore(ctx, 'login', 15 * 60 * 1000),
    handler: (req, res) => {
      res.status(429).render('accounts/login', {
        title: vi.login.title,
        error: vi.login.tooMany,
        username: typeof req.body?.username === 'string' ? req.body.username : '',
        next: safeNextPath(req.body?.next),
      });
    },
  });

  router.get('/dang-nhap', (req, res) => {
    if (req.account) return res.redirect(303, safeNextPath(req.query.next));
    res.render('accounts/login', {
      title: vi.login.title,
      error: null,
      username: '',
      next: safeNextPath(req.query.next),
    });
  });

  router.post('/dang-nhap', loginLimiter, async (req, res) => {
    const next = safeNextPath(req.body?.next);
    const resumed = resumedFormOf(req.body);
    const resume = resumed
      ? { action: resumed.action, fields: JSON.stringify(resumed.fields) }
      : undefined;
    const parsed = loginForm.safeParse(req.body ?? {});
    const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 100) : '';
    if (!parsed.success) {
      ctx.metrics.loginFailures.inc({ reason: 'incomplete' });
      return res.status(422).render('accounts/login', {
        title: vi.login.title,
        error: vi.login.required,
        username,
        next,
        resume,
      });
    }
    const result = await logIn(
      ctx,
      parsed.data.username,
      parsed.data.password,
      req.ip ?? 'unknown',
    );
    if (!result.ok) {
      ctx.metrics.loginFailures.inc({ reason: result.reason });
      const error = result.reason === 'inactive' ? vi.login.inactive : vi.login.failed;
      return res
        .status(401)
        .render('accounts/login', { title: vi.login.title, error, username, next, resume });
    }
    // A fresh session id at login defeats session fixation.
    await regenerateSession(req);
    req.session.accountId = result.accountId;
    await saveSession(req);
    // The form an expired session interrupted: offered again, as typed, with a fresh token.
    if (resumed)
      return res.render('accounts/resume', {
        title: vi.counter.session.resumeTitle,
        resume: resumed,
        next,
      });
    res.redirect(303, next);
  });

  // The warning's "Tiếp tục làm việc" (issue 28, item 6): touching the session extends it. With
  // JavaScript a fetch (CSRF header) gets JSON; without, the form goes back to its page. A POST
  // without a session never reaches here: the CSRF check refuses it (or offers the login).
  router.post('/phien/gia-han', requireLogin, (req, res) => {
    req.session.keptAliveAt = Date.now();
    res.set('Cache-Control', 'no-store');
    if (req.accepts(['html', 'json']) === 'json')
      return res.json({ seconds_left: sureSessionSeconds(ctx.config.sessionIdleSeconds) });
    const back = (req.body as Record<string, unknown> | undefined)?.next;
    setFlash(req, vi.sessionWarning.extended);
    res.redirect(303, isSamePath(back) ? back : '/');
  });

  router.post('/dang-xuat', requireLogin, async (req, res) => {
    await recordLogout(ctx, { id: req.account!.id, username: req.account!.username });
    await regenerateSession(req);
    setFlash(req, vi.login.loggedOut);
    await saveSession(req);
    res.redirect(303, '/dang-nhap');
  });

  return router;
}
