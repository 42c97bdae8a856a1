import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../errors.js';
import { handleForm } from '../http/forms.js';
import { fixedSecurityHeaders } from '../http/security-headers.js';
import { vi } from '../locale/vi.js';
import {
  clientAddressOf,
  handedOver,
  HTML,
  JSON_TYPE,
  lookupFrontDoor,
  sendReply,
  type FrontDoor,
  type LookupEndpoint,
  type LookupReply,
  type Query,
} from './lookup-front-door.js';
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
 * Its own path, the leanest the stack allows (docs/BENCHMARKS.md): the two GET lookups are
 * functions of their query and client address, answered in front of Express by the front door
 * (lookup-front-door.ts) and, for what the door leaves to Express, by routes mounted right after
 * the request log, before Helmet, the static files, the session, the body parsers, the account
 * and CSRF middleware, none of which they need; their security headers prepared once; one pass
 * over the limits; one precompiled statement (the office from the master data); the page from a
 * precompiled template, written with its length in one go. The rating form
 * carries no CSRF token: it acts with the code and key it contains, never with a cookie's
 * authority, so a forged request could only do what its sender could do anyway.
 */
export function lookupRoutes(
  ctx: AppContext,
  trust: (address: string, hop: number) => boolean,
): { router: Router; frontDoor: FrontDoor } {
  const router = Router();
  const headers = fixedSecurityHeaders(ctx);
  const render = lookupPage(ctx.config.env === 'production');
  const tooMany = (seconds: number) =>
    new TooManyRequestsError(vi.lookup.tooMany(Math.ceil(seconds / 60)), seconds);
  const guard = lookupGuardOf(ctx);
  // What `req.ip` gives, read without Express's request (the front door has none).
  const clientOf = clientAddressOf(trust);

  /** The one pass over the limits (a request without a usable code counts as a request only). */
  async function admit(client: string, code: string | null): Promise<void> {
    const verdict = await guard.admit(client, code);
    if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
  }

  /** Runs one verified lookup; a miss is counted against the client. */
  async function counted<T>(client: string, code: string, run: () => Promise<T | null>) {
    const result = await run();
    if (result === null) await guard.miss(client, code);
    return result;
  }

  /** The code and key of a lookup, whichever parameter names carry them; both names at once is refused. */
  function lookupInput(source: Query, names: { code: string[]; key: string[] }) {
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

  const page = (status: number, data: LookupPageData): LookupReply => ({
    status,
    type: HTML,
    body: render(data),
  });

  /** The citizen's status page: the form, or the dossier for the code and key typed in it. */
  async function statusPage(query: Query, client: string): Promise<LookupReply> {
    // Limits apply to lookups, not to the empty form.
    if (Object.keys(query).length === 0) return page(200, {});
    const typedCode = typeof query.ma === 'string' ? query.ma.slice(0, 40) : '';
    const typedKey = typeof query.khoa === 'string' ? query.khoa.slice(0, 12) : '';
    let input;
    try {
      input = lookupInput(query, PAGE_NAMES);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await admit(client, null);
      return page(422, { code: typedCode, key: typedKey, error: err.message });
    }
    await admit(client, input?.code ?? null);
    if (!input) return page(422, { code: typedCode, key: typedKey, error: vi.lookup.required });
    const view = await counted(client, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'page'),
    );
    if (!view) return page(404, { code: typedCode, key: typedKey, error: vi.lookup.notFound });
    return page(200, { view, code: input.code, key: input.key });
  }

  /** The same lookup as JSON; its errors are thrown, for the error handler's JSON. */
  async function statusJson(query: Query, client: string): Promise<LookupReply> {
    let input;
    try {
      input = lookupInput(query, API_NAMES);
    } catch (err) {
      await admit(client, null);
      throw err;
    }
    await admit(client, input?.code ?? null);
    if (!input) throw new ValidationError({ code: vi.lookup.required }, vi.lookup.required);
    const view = await counted(client, input.code, () =>
      lookUpDossier(ctx, input.code, input.key, 'api'),
    );
    if (!view) throw new NotFoundError(vi.lookup.notFound);
    const { skippedRuns: _runs, canRate: _canRate, ...body } = view;
    return { status: 200, type: JSON_TYPE, body: JSON.stringify({ dossier: body }) };
  }

  /**
   * A GET lookup as an Express route. A request the front door began and could not finish comes
   * here with what it threw, which goes to the error handler as if thrown here: the limits and
   * the lookup are never counted twice.
   */
  const viaExpress =
    (endpoint: LookupEndpoint) =>
    async (req: Request, res: Response): Promise<void> => {
      res.setHeaders(headers);
      if (handedOver.has(req)) throw handedOver.get(req);
      sendReply(res, await endpoint(req.query as Query, clientOf(req)));
    };
  router.get('/tra-cuu', viaExpress(statusPage));
  router.get('/api/v1/lookup', viaExpress(statusJson));

  router.post(
    '/tra-cuu/danh-gia',
    express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }),
    async (req, res) => {
      res.setHeaders(headers);
      const input = normalizeLookupInput(req.body?.ma, req.body?.khoa);
      const client = clientOf(req);
      await admit(client, input?.code ?? null);
      if (!input) return sendReply(res, page(404, { error: vi.lookup.notFound }));
      await handleForm(
        req,
        res,
        async () => {
          const view = await counted(client, input.code, () =>
            rateDossier(ctx, input.code, input.key, req.body?.level, req.body?.comment),
          );
          if (!view)
            return sendReply(
              res,
              page(404, { code: input.code, key: input.key, error: vi.lookup.notFound }),
            );
          sendReply(
            res,
            page(200, { view, code: input.code, key: input.key, flash: vi.lookup.rating.thanks }),
          );
        },
        async (f) => {
          const view = await viewForRatingForm(ctx, input.code, input.key);
          sendReply(
            res,
            page(f.status, {
              view,
              code: input.code,
              key: input.key,
              error: f.conflict,
              ratingErrors: f.errors,
            }),
          );
        },
      );
    },
  );

  const frontDoor = lookupFrontDoor(
    ctx,
    { '/tra-cuu': statusPage, '/api/v1/lookup': statusJson },
    headers,
    clientOf,
  );
  return { router, frontDoor };
}
