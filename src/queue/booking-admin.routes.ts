import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { handleForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { bookingsOfDay, cancelByStaff, cancelSlotByStaff } from './appointments.service.js';

const A = vi.booking.admin;

/**
 * The queue administration's bookings (`/quan-tri/xep-hang/lich-hen`): an office's day, where a
 * supervisor or an administrator cancels one booking or frees a whole slot, with a reason the
 * citizen is sent; every cancellation is audited and its place is bookable again at once.
 */
export function bookingAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const staff = requireRole('supervisor', 'admin');

  async function showDay(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    failed: string | null = null,
  ) {
    const q = {
      office: req.query.office ?? req.body?.office_id ?? '',
      day: req.query.day ?? req.body?.day ?? '',
    };
    res.status(status).render('queue/bookings', {
      title: A.title,
      ...(await bookingsOfDay(ctx, req.account!, q)),
      errors,
      failed,
    });
  }
  const back = (req: Request) =>
    `/quan-tri/xep-hang/lich-hen?office=${encodeURIComponent(String(req.body?.office_id ?? ''))}&day=${encodeURIComponent(String(req.body?.day ?? ''))}`;

  router.get('/quan-tri/xep-hang/lich-hen', staff, (req, res) => showDay(req, res));
  // Before `/:id/huy`, whose `:id` would take this path's `khung-gio`.
  router.post('/quan-tri/xep-hang/lich-hen/khung-gio/huy', staff, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const n = await cancelSlotByStaff(ctx, req.account!, req.body);
        setFlash(req, A.slotFreed(n, String(req.body?.slot ?? '')));
        res.redirect(303, back(req));
      },
      (f) => showDay(req, res, f.status, f.errors, `slot:${String(req.body?.slot ?? '')}`),
    ),
  );
  router.post('/quan-tri/xep-hang/lich-hen/:id/huy', staff, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const cancelled = await cancelByStaff(ctx, req.account!, idParam(req), req.body);
        setFlash(req, A.cancelled(cancelled.code));
        res.redirect(303, back(req));
      },
      (f) =>
        showDay(
          req,
          res,
          f.status,
          f.conflict ? { reason: f.conflict } : f.errors,
          String(idParam(req)),
        ),
    ),
  );
  return router;
}
