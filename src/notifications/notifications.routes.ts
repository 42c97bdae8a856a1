import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { saveForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import {
  acceptReceipt,
  failedNotifications,
  resendNotification,
  saveTemplate,
  templatePreviews,
} from './admin.service.js';

const P = vi.notify.page;

/**
 * Staff's side of the messages: the failed list with resend (`/thong-bao/loi`), the templates
 * with a preview (`/quan-tri/mau-thong-bao`), resend on the API, and the providers' delivery
 * receipts (`POST /api/v1/notifications/receipts/:channel?token=…`).
 */
export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/thong-bao/loi', requireLogin, async (req, res) => {
    res.render('notifications/failed', {
      title: P.failedTitle,
      failed: await failedNotifications(ctx, req.account!),
    });
  });
  router.post('/thong-bao/:id/gui-lai', requireLogin, async (req, res) => {
    await resendNotification(ctx, req.account!, idParam(req));
    setFlash(req, P.resent);
    res.redirect(
      303,
      typeof req.body?.back === 'string' && req.body.back.startsWith('/ho-so/')
        ? req.body.back
        : '/thong-bao/loi',
    );
  });

  const admins = requireRole('admin');
  async function showTemplates(
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    failedKind: string | null = null,
    values: Record<string, unknown> = {},
  ) {
    res.status(status).render('notifications/templates', {
      title: P.templatesTitle,
      templates: await templatePreviews(ctx),
      errors,
      failedKind,
      values,
    });
  }
  router.get('/quan-tri/mau-thong-bao', admins, async (_req, res) => showTemplates(res));
  router.post('/quan-tri/mau-thong-bao/:kind', admins, async (req: Request, res) =>
    saveForm(
      req,
      res,
      () => saveTemplate(ctx, req.account!, String(req.params.kind), req.body ?? {}),
      {
        flash: P.templateSaved,
        to: () => `/quan-tri/mau-thong-bao#${String(req.params.kind)}`,
        rerender: (f) =>
          showTemplates(
            res,
            f.status,
            f.errors,
            String(req.params.kind),
            f.values as Record<string, unknown>,
          ),
      },
    ),
  );

  router.post('/api/v1/notifications/receipts/:channel', async (req, res) => {
    const updated = await acceptReceipt(
      ctx,
      String(req.params.channel),
      typeof req.query.token === 'string' ? req.query.token : '',
      (req.body ?? {}) as Record<string, unknown>,
    );
    res.json({ updated });
  });
  router.post('/api/v1/notifications/:id/resend', requireLogin, async (req, res) => {
    await resendNotification(ctx, req.account!, idParam(req));
    res.json({ resent: true });
  });
  return router;
}
