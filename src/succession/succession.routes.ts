import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { handleForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { officeByIdFresh } from '../offices/offices.service.js';
import { successionOf, transferToSuccessor } from './succession.service.js';

/** A closed office's open dossiers handed to its successor (`/quan-tri/don-vi/:id/chuyen-ho-so`). */
export function successionRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');
  const path = '/quan-tri/don-vi/:id/chuyen-ho-so';

  async function show(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
  ) {
    const succession = await successionOf(ctx, idParam(req));
    res.status(status).render('succession/transfer', {
      title: vi.admin.office.transferTitle,
      ...succession,
      errors,
    });
  }

  router.get(path, admins, async (req, res) => show(req, res));
  router.post(path, admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const moved = await transferToSuccessor(ctx, req.account!, idParam(req), req.body);
        const target = await officeByIdFresh(ctx, Number(req.body.successor_id));
        setFlash(req, vi.admin.flash.transferred(moved, target?.name ?? ''));
        res.redirect(303, `/quan-tri/don-vi/${idParam(req)}/chuyen-ho-so`);
      },
      (f) => show(req, res, f.status, f.errors),
    ),
  );
  return router;
}
