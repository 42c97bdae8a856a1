import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { isApiRequest } from './request-kind.js';
import { isSamePath, resumeFieldsOf } from './resume.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchronizer-token CSRF protection: the token lives in the server-side session and every
 * state-changing request must echo it (form field `_csrf` or header `X-CSRF-Token`). Requests
 * authenticated by a bearer API token carry no cookie a third party could ride on, so they are
 * exempt. The token is created lazily (views call `csrfToken()`), so pages without forms never
 * open a session.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = () => {
    req.session.csrfToken ??= randomBytes(24).toString('base64url');
    return req.session.csrfToken;
  };
  if (SAFE_METHODS.has(req.method) || req.authMethod === 'token') return next();
  // An API call with neither a session nor a token is answered 401 by the route (with
  // WWW-Authenticate), not 403: there is no cookie's authority for a forgery to ride on.
  if (isApiRequest(req) && !req.account) return next();

  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.session.csrfToken;
  if (typeof sent === 'string' && expected && constantTimeEquals(sent, expected)) return next();
  // A page's form posted after its session expired: the login, keeping what was typed.
  const fields = !req.account && req.method === 'POST' ? resumeFieldsOf(req.body) : null;
  // The login form itself is never "resumed": a login without its token is refused (403).
  if (fields && !isApiRequest(req) && isSamePath(req.originalUrl) && req.path !== '/dang-nhap') {
    res.status(401).render('accounts/login', {
      title: vi.login.title,
      error: vi.counter.session.expired,
      username: '',
      next: '/',
      resume: { action: req.originalUrl, fields },
    });
    return;
  }
  next(new ForbiddenError(vi.errors.csrf, 'csrf_failed'));
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
