import { publishedHoursOf } from '../calendar/working-hours.js';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireRole } from '../http/auth.js';
import { handleForm, type FormValues } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { renderableFields } from '../validation.js';
import { officeFields } from './offices.forms.js';
import {
  isClosed,
  listOfficesFresh,
  officeByIdFresh,
  officeOptions,
  saveOffice,
} from './offices.service.js';

const A = vi.admin;

/** Administration of offices (`/quan-tri/don-vi`). */
export function officeRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');
  const fields = async (exceptId: number | null) =>
    renderableFields(officeFields, {
      parent_id: (await officeOptions(ctx)).filter(([id]) => id !== exceptId),
    });

  async function showOffices(
    res: Response,
    errors: Record<string, string> = {},
    values: FormValues = { valid_from: localDateOf(ctx.clock.now()) },
  ) {
    res.render('offices/admin-offices', {
      title: A.titles.offices,
      offices: await listOfficesFresh(ctx),
      fields: await fields(null),
      errors,
      values,
    });
  }
  router.get('/quan-tri/don-vi', admins, async (_req, res) => showOffices(res));
  router.post('/quan-tri/don-vi', admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const id = await saveOffice(ctx, req.account!, null, req.body);
        setFlash(req, A.flash.officeCreated);
        res.redirect(303, `/quan-tri/don-vi/${id}`);
      },
      (f) => showOffices(res, f.errors, f.values),
    ),
  );

  async function showOffice(
    req: Request,
    res: Response,
    errors: Record<string, string> = {},
    values?: FormValues,
  ) {
    const office = await officeByIdFresh(ctx, idParam(req));
    if (!office) throw new NotFoundError();
    const today = localDateOf(ctx.clock.now());
    const closed = isClosed(office, today);
    res.render('offices/admin-office', {
      title: office.name,
      office,
      fields: await fields(office.id),
      errors,
      values: values ?? office,
      closed,
      publishedHours: publishedHoursOf(office),
    });
  }
  router.get('/quan-tri/don-vi/:id', admins, async (req, res) => showOffice(req, res));
  router.post('/quan-tri/don-vi/:id', admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        await saveOffice(ctx, req.account!, idParam(req), req.body);
        setFlash(req, A.flash.officeSaved);
        res.redirect(303, `/quan-tri/don-vi/${idParam(req)}`);
      },
      (f) => showOffice(req, res, f.errors, f.values),
    ),
  );
  return router;
}
