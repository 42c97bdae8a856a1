import express, { Router, type Request, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../errors.js';
import { handleForm } from '../http/forms.js';
import { fixedSecurityHeaders } from '../http/security-headers.js';
import { vi } from '../locale/vi.js';
import { lookupGuardOf } from './lookup-guard.js';
import { lookupPage, type LookupPageData } from './lookup-page.js';
import {
  lookUpDossier,
  normalizeLookupInput,
  rateDossier,
  viewForRatingForm,
} from './lookup.service.js';

const PAGE_NAMES = { code: ['ma', 'code'], key: ['khoa', 'key'] };
const API_NAMES = { code: ['code', 'ma'], key: ['key', 'khoa'] };

/**
 * The citizen's status page and its JSON twin. Public: code + lookup key are the credentials.
 * Limits (docs/SECURITY.md): every request per client address (a flood limit), and wrong
 * lookups per client and per (client, code), checked before the key is; the right key from any
 * address that is not itself over its limits always works, so nobody can lock a citizen out.
 *
 * Its own path, the leanest the stack allows (docs/BENCHMARKS.md): mounted right after the
 * request log, before Helmet, the static files, the session, the body parsers, the account and
 * CSRF middleware, none of which it needs; its security headers prepared once and set in one
 * call; one pass over the limits; one precompiled statement (the office from the master data);
 * the page from a precompiled template, written with its length in one go. The rating form
 * carries no CSRF token: it acts with the code and key it contains, never with a cookie's
 * authority, so a forged request could only do what its sender could do anyway.
 */
export function lookupRoutes(ctx: AppContext): Router {
  const router = Router();
  const headers = fixedSecurityHeaders(ctx);
  const render = lookupPage(ctx.config.env === 'production');
  const tooMany = (seconds: number) =>
    new TooManyRequestsError(vi.lookup.tooMany(Math.ceil(seconds / 60)), seconds);
  const guard = lookupGuardOf(ctx);
  const clientOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  /** The one pass over the limits (a request without a usable code counts as a request only). */
  async function admit(req: Request, code: string | null): Promise<void> {
    const verdict = await guard.admit(clientOf(req), code);
    if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
  }

  /** Runs one verified lookup; a miss is counted against the client. */
  async function counted<T>(req: Request, code: string, run: () => Promise<T | null>) {
    const result = await run();
    if (result === null) await guard.miss(clientOf(req), code);
    return result;
  }

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

  function send(res: Response, status: number, type: string, body: string): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
  const page = (res: Response, status: number, data: LookupPageData) =>
    send(res, status, 'text/html; charset=utf-8', render(data));

  router.get('/tra-cuu', async (req, res) => {
    res.setHeaders(headers);
    const query = req.query as Record<string, unknown>;
    // Limits apply to lookups, not to the empty form.
    if (Object.keys(query).length === 0) return page(res, 200, {});
    const typedCode = typeof query.ma === 'string' ? query.ma.slice(0, 40) : '';
    const typedKey = typeof query.khoa === 'string' ? query.khoa.slice(0, 12) : '';
    let input;
    try {
      input = lookupInput(query, PAGE_NAMES);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await admit(req, null);
      return page(res, 422, { code: typedCode, key: typedKey, error: err.message });
    }
    await admit(req, input?.code ?? null);
    if (!input)
      return page(res, 422, { code: typedCode, key: typedKey, error: vi.lookup.required });
    const view = await counted(req, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'page'),
    );
    if (!view) return page(res, 404, { code: typedCode, key: typedKey, error: vi.lookup.notFound });
    page(res, 200, { view, code: input.code, key: input.key });
  });

  router.get('/api/v1/lookup', async (req, res) => {
    res.setHeaders(headers);
    let input;
    try {
      input = lookupInput(req.query as Record<string, unknown>, API_NAMES);
    } catch (err) {
      await admit(req, null);
      throw err;
    }
    await admit(req, input?.code ?? null);
    if (!input) throw new ValidationError({ code: vi.lookup.required }, vi.lookup.required);
    const view = await counted(req, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'api'),
    );
    if (!view) throw new NotFoundError(vi.lookup.notFound);
    const { skippedRuns: _runs, canRate: _canRate, ...body } = view;
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ dossier: body }));
  });

  router.post(
    '/tra-cuu/danh-gia',
    express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }),
    async (req, res) => {
      res.setHeaders(headers);
      const input = normalizeLookupInput(req.body?.ma, req.body?.khoa);
      await admit(req, input?.code ?? null);
      if (!input) return page(res, 404, { error: vi.lookup.notFound });
      await handleForm(
        req,
        res,
        async () => {
          const view = await counted(req, input.code, () =>
            rateDossier(ctx, input.code, input.key, req.body?.level, req.body?.comment),
          );
          if (!view)
            return page(res, 404, { code: input.code, key: input.key, error: vi.lookup.notFound });
          page(res, 200, {
            view,
            code: input.code,
            key: input.key,
            flash: vi.lookup.rating.thanks,
          });
        },
        async (f) => {
          const view = await viewForRatingForm(ctx, input.code, input.key);
          page(res, f.status, {
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

  return router;
}
