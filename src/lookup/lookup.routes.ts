import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../errors.js';
import { rateLimitStore, windowCounter } from '../http/rate-limit-store.js';
import { handleForm } from '../http/forms.js';
import { publicViewLocals } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { LookupGuard } from './lookup-guard.js';
import {
  lookUpDossier,
  normalizeLookupInput,
  rateDossier,
  viewForRatingForm,
  type PublicDossierView,
} from './lookup.service.js';

const MINUTE = 60_000;

/**
 * The citizen's status page and its JSON twin. Public: code + lookup key are the credentials.
 * Limits (docs/SECURITY.md): every request per client address (a flood limit), and wrong
 * lookups per client and per (client, code), checked before the key is; the right key from any
 * address that is not itself over its limits always works, so nobody can lock a citizen out.
 *
 * Mounted before the session, account and CSRF middleware: these pages never need a cookie, so
 * a citizen's request pays for none of it (docs/BENCHMARKS.md). The rating form carries no CSRF
 * token for the same reason: it acts with the code and key it contains, never with a cookie's
 * authority, so a forged request could only do what its sender could do anyway.
 */
export function lookupRoutes(ctx: AppContext): Router {
  const router = Router();
  const tooMany = (seconds: number) =>
    new TooManyRequestsError(vi.lookup.tooMany(Math.ceil(seconds / 60)), seconds);

  const perClient = rateLimit({
    windowMs: MINUTE,
    limit: ctx.config.lookupRateLimitPerMin,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(ctx, 'lookup.flood', MINUTE),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) => {
      // resetTime is on the wall clock (see CounterStore): what matters is the time left.
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit
        ?.resetTime;
      next(
        tooMany(
          Math.max(
            1,
            Math.ceil((resetTime ? resetTime.getTime() - Date.now() : options.windowMs) / 1000),
          ),
        ),
      );
    },
  });
  const HOUR = 60 * MINUTE;
  const guard = new LookupGuard(
    {
      perClient: windowCounter(ctx, 'lookup.client_misses', HOUR),
      perClientCode: windowCounter(ctx, 'lookup.client_code_misses', HOUR),
      perCode: windowCounter(ctx, 'lookup.code_misses', HOUR),
    },
    () => ctx.clock.now().getTime(),
    {
      clientMissesPerHour: ctx.config.lookupClientMissLimitPerHour,
      clientCodeMissesPerHour: ctx.config.lookupCodeRateLimitPerHour,
      codeAlarmPerHour: 100,
    },
    (code, misses) =>
      ctx.logger.warn({ code, misses }, 'many wrong lookup keys for one dossier code this hour'),
  );
  const clientOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  /** The code and key of a lookup, whichever parameter names carry them; both names at once is refused. */
  function lookupInput(source: Record<string, unknown>, names: { code: string[]; key: string[] }) {
    const given = (list: string[]) => list.filter((n) => source[n] !== undefined);
    if (given(names.code).length > 1 || given(names.key).length > 1) {
      throw new ValidationError(
        { [given(names.code).length > 1 ? 'ma' : 'khoa']: vi.lookup.duplicateParameter },
        vi.lookup.duplicateParameter,
      );
    }
    const pick = (list: string[]) => source[given(list)[0] ?? ''];
    return normalizeLookupInput(pick(names.code), pick(names.key));
  }
  const PAGE_NAMES = { code: ['ma', 'code'], key: ['khoa', 'key'] };

  /** Runs one verified lookup under the guard: a miss is counted, a refusal is a 429. */
  async function guarded<T>(
    req: Request,
    code: string,
    run: () => Promise<T | null>,
  ): Promise<T | null> {
    const verdict = await guard.check(clientOf(req), code);
    if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
    const result = await run();
    if (result === null) await guard.miss(clientOf(req), code);
    return result;
  }

  // Limits apply to lookups, not to the empty form.
  const whenLookingUp =
    (limiter: RequestHandler): RequestHandler =>
    (req, res, next) =>
      req.method === 'GET' && Object.keys(req.query).length === 0
        ? next()
        : limiter(req, res, next);

  function renderPage(
    res: Response,
    status: number,
    data: {
      view?: PublicDossierView | null;
      code?: string;
      key?: string;
      error?: string | null;
      ratingErrors?: Record<string, string>;
      flash?: string | null;
    },
  ) {
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

  router.get('/tra-cuu', publicViewLocals, whenLookingUp(perClient), async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const typedCode = typeof query.ma === 'string' ? query.ma.slice(0, 40) : '';
    const typedKey = typeof query.khoa === 'string' ? query.khoa.slice(0, 12) : '';
    if (Object.keys(query).length === 0) return renderPage(res, 200, {});
    let input;
    try {
      input = lookupInput(query, PAGE_NAMES);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderPage(res, 422, { code: typedCode, key: typedKey, error: err.message });
    }
    if (!input)
      return renderPage(res, 422, { code: typedCode, key: typedKey, error: vi.lookup.required });
    const view = await guarded(req, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'page'),
    );
    if (!view)
      return renderPage(res, 404, { code: typedCode, key: typedKey, error: vi.lookup.notFound });
    renderPage(res, 200, { view, code: input.code, key: input.key });
  });

  router.post(
    '/tra-cuu/danh-gia',
    publicViewLocals,
    express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }),
    perClient,
    async (req, res) => {
      const input = normalizeLookupInput(req.body?.ma, req.body?.khoa);
      if (!input) return renderPage(res, 404, { error: vi.lookup.notFound });
      await handleForm(
        req,
        res,
        async () => {
          const view = await guarded(req, input.code, () =>
            rateDossier(ctx, input.code, input.key, req.body?.level, req.body?.comment),
          );
          if (!view)
            return renderPage(res, 404, {
              code: input.code,
              key: input.key,
              error: vi.lookup.notFound,
            });
          renderPage(res, 200, {
            view,
            code: input.code,
            key: input.key,
            flash: vi.lookup.rating.thanks,
          });
        },
        async (f) => {
          const view = await viewForRatingForm(ctx, input.code, input.key);
          renderPage(res, f.status, {
            view,
            code: input.code,
            key: input.key,
            error: f.conflict,
            ratingErrors: f.errors,
          });
        },
      );
    },
  );

  router.get('/api/v1/lookup', perClient, async (req, res) => {
    const input = lookupInput(req.query as Record<string, unknown>, {
      code: ['code', 'ma'],
      key: ['key', 'khoa'],
    });
    if (!input) throw new ValidationError({ code: vi.lookup.required }, vi.lookup.required);
    const view = await guarded(req, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'api'),
    );
    if (!view) throw new NotFoundError(vi.lookup.notFound);
    const { skippedRuns: _runs, canRate: _canRate, ...body } = view;
    res.json({ dossier: body });
  });

  return router;
}
