import express, { Router, type Request, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { TooManyRequestsError } from '../errors.js';
import { windowCounter } from '../http/rate-limit-store.js';
import { publicViewLocals } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { lookupGuardOf } from './lookup-guard.js';
import { normalizeLookupInput, verifyLookupKey } from './lookup.service.js';
import { citizenResultFile } from '../files/citizen.service.js';
import { sendFile } from '../files/send-file.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wrong ID digits for one dossier in a day before its download is refused (docs/SECURITY.md). */
export const DIGIT_MISSES_PER_DAY = 10;

/**
 * The citizen's download of the electronic result, from the lookup page: code and key (the
 * receipt) plus the last four digits of the ID number. The lookup's limits apply, on the same
 * counters (shared between processes with SHARED_STATE=database): requests per address and
 * minute, wrong code or key per address and per (address, code). Wrong digits with the right key
 * are counted per dossier too: whoever holds a receipt gets ten tries a day at 10,000 values.
 */
export function citizenFileRoutes(ctx: AppContext): Router {
  const router = Router();
  const c = vi.files.citizen;
  const tooMany = (seconds: number) =>
    new TooManyRequestsError(vi.lookup.tooMany(Math.ceil(seconds / 60)), seconds);
  const guard = lookupGuardOf(ctx);
  const digitMisses = windowCounter(ctx, 'files.result_digit_misses', DAY);
  const clientOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  function renderLookup(res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('lookup/index', {
      title: vi.lookup.title,
      bodyClass: 'citizen',
      view: null,
      code: '',
      key: '',
      error: null,
      ratingErrors: {},
      notice: null,
      ...locals,
    });
  }

  router.post(
    '/tra-cuu/ket-qua',
    publicViewLocals,
    express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const input = normalizeLookupInput(body.ma, body.khoa);
      const verdict = await guard.admit(clientOf(req), input?.code ?? null);
      if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds);
      if (!input) return renderLookup(res, 404, { error: vi.lookup.notFound });
      const found = await verifyLookupKey(ctx, input.code, input.key);
      if (!found) {
        await guard.miss(clientOf(req), input.code);
        return renderLookup(res, 404, {
          code: input.code,
          key: input.key,
          error: vi.lookup.notFound,
        });
      }
      const page = (status: number, error: string) =>
        renderLookup(res, status, { view: found.view, code: input.code, key: input.key, error });
      const digits = typeof body.so_cuoi === 'string' ? body.so_cuoi.trim() : '';
      if (!/^\d{4}$/.test(digits)) return page(422, c.digitsFormat);
      const misses = await digitMisses.peek(found.code);
      if (misses && misses.hits >= DIGIT_MISSES_PER_DAY) return page(429, c.tooManyWrong);
      const position = /^\d{1,3}$/.test(String(body.tep ?? '')) ? Number(body.tep) : 0;
      const result = await citizenResultFile(ctx, found.id, digits, position);
      if (result.kind === 'wrong_fact') {
        await Promise.all([digitMisses.hit(found.code), guard.miss(clientOf(req), input.code)]);
        return page(422, c.wrong);
      }
      if (result.kind === 'none') return page(404, c.none);
      await sendFile(res, result.content);
    },
  );

  return router;
}
