import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { ClockMemoryStore } from '../http/clock-rate-limit-store.js';
import { TooManyRequestsError, ValidationError, NotFoundError } from '../errors.js';
import { handleForm } from '../http/forms.js';
import { publicViewLocals } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { lookUpDossier, normalizeLookupInput, rateDossier, viewForRatingForm, type PublicDossierView } from './lookup.service.js';

const MINUTE = 60_000;

/**
 * The citizen's status page and its JSON twin. Public: code + lookup key are the credentials.
 * Two limits: per client address (everything) and per dossier code (misses only), so codes,
 * which are sequential, cannot be walked and keys cannot be guessed.
 *
 * Mounted before the session, account and CSRF middleware: these pages never need a cookie, so
 * a citizen's request pays for none of it (docs/BENCHMARKS.md). The rating form carries no CSRF
 * token for the same reason: it acts with the code and key it contains, never with a cookie's
 * authority, so a forged request could only do what its sender could do anyway.
 */
export function lookupRoutes(ctx: AppContext): Router {
  const router = Router();

  const tooMany = (req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) => {
    // resetTime is on the wall clock (see ClockMemoryStore): what matters is the time left.
    const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = Math.max(1, Math.ceil((resetTime ? resetTime.getTime() - Date.now() : options.windowMs) / 1000));
    next(new TooManyRequestsError(vi.lookup.tooMany(Math.ceil(seconds / 60)), seconds));
  };

  const perClient = rateLimit({
    windowMs: MINUTE,
    limit: ctx.config.lookupRateLimitPerMin,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new ClockMemoryStore(ctx.clock),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: tooMany,
  });
  const perCode = rateLimit({
    windowMs: 60 * MINUTE,
    limit: ctx.config.lookupCodeRateLimitPerHour,
    standardHeaders: false,
    legacyHeaders: false,
    store: new ClockMemoryStore(ctx.clock),
    keyGenerator: (req) => `code:${String(req.query.ma ?? req.query.code ?? req.body?.ma ?? '').trim().toUpperCase().slice(0, 40)}`,
    // Only misses count toward a code's limit: the citizen with the right key is never locked out by it.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode < 400,
    handler: tooMany,
  });
  // Limits apply to lookups, not to the empty form.
  const whenLookingUp = (limiter: RequestHandler): RequestHandler => (req, res, next) =>
    req.method === 'GET' && !req.query.ma && !req.query.code ? next() : limiter(req, res, next);

  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  function renderPage(res: Response, status: number, data: { view?: PublicDossierView | null; code?: string; key?: string; error?: string | null; ratingErrors?: Record<string, string>; flash?: string | null }) {
    res.status(status).render('lookup/index', {
      title: vi.lookup.title,
      bodyClass: 'citizen',
      view: data.view ?? null,
      code: data.code ?? '',
      key: data.key ?? '',
      error: data.error ?? null,
      ratingErrors: data.ratingErrors ?? {},
      notice: data.flash ?? null,
    });
  }

  router.get('/tra-cuu', noStore, publicViewLocals, whenLookingUp(perClient), whenLookingUp(perCode), async (req, res) => {
    const typedCode = typeof req.query.ma === 'string' ? req.query.ma.slice(0, 40) : '';
    const typedKey = typeof req.query.khoa === 'string' ? req.query.khoa.slice(0, 12) : '';
    if (!req.query.ma && !req.query.khoa) return renderPage(res, 200, {});
    const input = normalizeLookupInput(req.query.ma, req.query.khoa);
    if (!input) return renderPage(res, 422, { code: typedCode, key: typedKey, error: vi.lookup.required });
    const view = await lookUpDossier(ctx, input.code, input.key, 'page');
    if (!view) return renderPage(res, 404, { code: typedCode, key: typedKey, error: vi.lookup.notFound });
    renderPage(res, 200, { view, code: input.code, key: input.key });
  });

  router.post('/tra-cuu/danh-gia', noStore, publicViewLocals, express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }), perClient, async (req, res) => {
    const input = normalizeLookupInput(req.body?.ma, req.body?.khoa);
    if (!input) return renderPage(res, 404, { error: vi.lookup.notFound });
    await handleForm(req, res, async () => {
      const view = await rateDossier(ctx, input.code, input.key, req.body?.level, req.body?.comment);
      if (!view) return renderPage(res, 404, { code: input.code, key: input.key, error: vi.lookup.notFound });
      renderPage(res, 200, { view, code: input.code, key: input.key, flash: vi.lookup.rating.thanks });
    }, async (f) => {
      const view = await viewForRatingForm(ctx, input.code, input.key);
      renderPage(res, f.status, { view, code: input.code, key: input.key, error: f.conflict, ratingErrors: f.errors });
    });
  });

  router.get('/api/v1/lookup', noStore, perClient, perCode, async (req, res) => {
    const input = normalizeLookupInput(req.query.code ?? req.query.ma, req.query.key ?? req.query.khoa);
    if (!input) throw new ValidationError({ code: vi.lookup.required }, vi.lookup.required);
    const view = await lookUpDossier(ctx, input.code, input.key, 'api');
    if (!view) throw new NotFoundError(vi.lookup.notFound);
    const { skippedRuns: _runs, canRate: _canRate, ...body } = view;
    res.json({ dossier: body });
  });

  return router;
}
