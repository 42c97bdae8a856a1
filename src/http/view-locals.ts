import type { NextFunction, Request, Response } from 'express';
import { dutyLabelOf } from '../current-account.js';
import { formatters } from '../lib/format.js';
import { vi } from '../locale/vi.js';
import { navigationFor } from './navigation.js';

function setCommonLocals(req: Request, res: Response): void {
  res.locals.t = vi;
  res.locals.fmt = formatters;
  res.locals.currentPath = req.path;
  res.locals.title = vi.appName;
}

/** Values every view may use: strings, formatters, the current path and a one-shot flash. */
export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  setCommonLocals(req, res);
  res.locals.navItems = navigationFor(req.account?.role);
  res.locals.accountDuty = req.account ? dutyLabelOf(req.account) : null;
  res.locals.flash = req.session?.flash ?? null;
  if (req.session?.flash) delete req.session.flash;
  next();
}

export function setFlash(req: Request, message: string): void {
  req.session.flash = message;
}

/**
 * The same values for the public citizen pages, without a session: they are served before the
 * session, account and CSRF middleware (code and lookup key are their credentials).
 */
export function publicViewLocals(req: Request, res: Response, next: NextFunction): void {
  setCommonLocals(req, res);
  res.locals.navItems = [];
  res.locals.flash = null;
  res.locals.account = null;
  next();
}

/**
 * The locals the error page needs, for an error raised before `viewLocals` ran (a body that could
 * not be parsed): what is missing is filled in; the signed-in account, if known, is kept.
 */
export function errorPageLocals(req: Request, res: Response): void {
  if (res.locals.t === undefined) setCommonLocals(req, res);
  res.locals.navItems ??= navigationFor(req.account?.role);
  res.locals.flash ??= null;
  res.locals.account ??= req.account ?? null;
  res.locals.accountDuty ??= req.account ? dutyLabelOf(req.account) : null;
  // The logout form needs a CSRF token; without a session there is none to give.
  res.locals.csrfToken ??= () => req.session?.csrfToken ?? '';
}
