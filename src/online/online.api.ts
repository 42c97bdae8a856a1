import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { ForbiddenError } from '../errors.js';
import { PORTAL_DELIVERY_PATH, requireLogin } from '../http/auth.js';
import { idParam } from '../http/params.js';
import { vi } from '../locale/vi.js';
import {
  acceptOnline,
  decideOnline,
  deliverOnline,
  deliverOnlineMultipart,
} from './inbox.service.js';
import { entryView, inboxView, presentEntry } from './inbox-view.service.js';
import { resendNow, syncProblemsView } from './sync-status.service.js';

/**
 * The delivery's JSON body (base64 files) may be far larger than other requests': parsed here,
 * before the app's small JSON parser, for that one call only, and only with a bearer token (a
 * request without one meets the small parser, then its 401).
 */
export function onlineDeliveryParser(ctx: AppContext) {
  const parse = express.json({ limit: ctx.config.online.maxJsonBytes });
  return (req: Request, res: Response, next: NextFunction) =>
    req.method === 'POST' &&
    req.path === PORTAL_DELIVERY_PATH &&
    /^Bearer\s+\S+$/i.test(req.get('authorization') ?? '')
      ? parse(req, res, next)
      : next();
}

/** The online inbox's API: a portal delivers; the office's counter lists and decides. */
export function onlineApiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post(PORTAL_DELIVERY_PATH, requireLogin, async (req, res) => {
    if (req.tokenScope !== 'portal')
      throw new ForbiddenError(vi.online.errors.portalTokenRequired, 'token_scope');
    const { entry, replayed } = req.is('multipart/form-data')
      ? await deliverOnlineMultipart(
          ctx,
          req.account!,
          (req.body ?? {}) as Record<string, unknown>,
          req.deliveredParts ?? [],
          req.deliveryError,
        )
      : await deliverOnline(ctx, req.account!, req.body);
    const view = await entryView(ctx, req.account!, String(entry.id));
    res.status(replayed ? 200 : 201).json({ online_dossier: presentEntry(entry, view.files) });
  });

  router.get('/api/v1/online-dossiers', requireLogin, async (req, res) => {
    const view = await inboxView(ctx, req.account!, req.query);
    res.json({
      online_dossiers: view.entries.map((e) => ({ ...presentEntry(e), late: e.late })),
      page: view.page,
      has_next: view.hasNext,
    });
  });

  router.get('/api/v1/online-dossiers/:id', requireLogin, async (req, res) => {
    const view = await entryView(ctx, req.account!, String(req.params.id));
    res.json({
      online_dossier: { ...presentEntry(view.entry, view.files), late: view.late },
      sync: view.sync,
    });
  });

  router.post('/api/v1/online-dossiers/:id/accept', requireLogin, async (req, res) => {
    const { entry, code } = await acceptOnline(ctx, req.account!, String(req.params.id));
    res.json({
      online_dossier: presentEntry({ ...entry, dossier_code: code }),
      dossier: { id: entry.dossier_id, code },
    });
  });

  for (const [path, decision] of [
    ['request-supplement', 'supplement'],
    ['refuse', 'refuse'],
  ] as const)
    router.post(`/api/v1/online-dossiers/:id/${path}`, requireLogin, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const entry = await decideOnline(
        ctx,
        req.account!,
        String(req.params.id),
        decision,
        body.reason,
      );
      res.json({ online_dossier: presentEntry(entry) });
    });

  router.get('/api/v1/portal-sync/problems', requireLogin, async (req, res) => {
    const view = await syncProblemsView(ctx, req.account!);
    res.json({ lag_minutes: view.lagMinutes, dossiers: view.rows });
  });

  router.post('/api/v1/portal-sync/:id/resend', requireLogin, async (req, res) => {
    await resendNow(ctx, req.account!, idParam(req));
    res.json({ resent: true });
  });

  return router;
}
