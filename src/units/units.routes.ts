import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { saveForm, type FormValues } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { officeOptions } from '../offices/offices.service.js';
import { renderableFields } from '../validation.js';
import { memberFields, unitFields } from './units.forms.js';
import {
  accountOptionsOf,
  addMember,
  listUnitsFor,
  membersOf,
  removeMember,
  saveUnit,
  unitById,
} from './units.service.js';

const A = vi.handover.admin;

/** Administration of processing units (`/quan-tri/bo-phan-xu-ly`) and `GET /api/v1/units`. */
export function unitRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');
  const fields = async () => renderableFields(unitFields, { office_id: await officeOptions(ctx) });

  async function showUnits(
    req: Request,
    res: Response,
    errors: Record<string, string> = {},
    values: FormValues = { office_id: String(req.account!.officeId), active: '1' },
  ) {
    res.render('units/admin-units', {
      title: A.unitsTitle,
      units: await listUnitsFor(ctx, req.account!),
      fields: await fields(),
      errors,
      values,
    });
  }
  router.get('/quan-tri/bo-phan-xu-ly', admins, async (req, res) => showUnits(req, res));
  router.post('/quan-tri/bo-phan-xu-ly', admins, async (req, res) =>
    saveForm(req, res, () => saveUnit(ctx, req.account!, null, req.body), {
      flash: A.unitCreated,
      to: (id) => `/quan-tri/bo-phan-xu-ly/${id}`,
      rerender: (f) => showUnits(req, res, f.errors, f.values),
    }),
  );

  async function showUnit(
    req: Request,
    res: Response,
    errors: Record<string, string> = {},
    values?: FormValues,
    memberErrors: Record<string, string> = {},
  ) {
    const unit = await unitById(ctx, idParam(req));
    if (!unit) throw new NotFoundError();
    res.render('units/admin-unit', {
      title: unit.name,
      unit,
      fields: await fields(),
      errors,
      values: values ?? { ...unit, active: unit.active ? '1' : '' },
      members: await membersOf(ctx, [unit.id]),
      memberFields: renderableFields(memberFields, {
        account_id: await accountOptionsOf(ctx, unit.office_id),
      }),
      memberErrors,
    });
  }
  router.get('/quan-tri/bo-phan-xu-ly/:id', admins, async (req, res) => showUnit(req, res));
  router.post('/quan-tri/bo-phan-xu-ly/:id', admins, async (req, res) =>
    saveForm(req, res, () => saveUnit(ctx, req.account!, idParam(req), req.body), {
      flash: A.unitSaved,
      to: () => `/quan-tri/bo-phan-xu-ly/${idParam(req)}`,
      rerender: (f) => showUnit(req, res, f.errors, f.values),
    }),
  );
  router.post('/quan-tri/bo-phan-xu-ly/:id/thanh-vien', admins, async (req, res) =>
    saveForm(req, res, () => addMember(ctx, req.account!, idParam(req), req.body), {
      flash: A.memberAdded,
      to: () => `/quan-tri/bo-phan-xu-ly/${idParam(req)}`,
      rerender: (f) => showUnit(req, res, {}, undefined, f.errors),
    }),
  );
  router.post('/quan-tri/bo-phan-xu-ly/:id/thanh-vien/:account/bo', admins, async (req, res) => {
    await removeMember(ctx, req.account!, idParam(req), idParam(req, 'account'));
    setFlash(req, A.memberRemoved);
    res.redirect(303, `/quan-tri/bo-phan-xu-ly/${idParam(req)}`);
  });

  router.get('/api/v1/units', requireLogin, async (req, res) => {
    const units = await listUnitsFor(ctx, req.account!);
    res.json({
      units: units.map((u) => ({
        id: u.id,
        office_id: u.office_id,
        code: u.code,
        name: u.name,
        active: u.active === 1,
        members: u.members.map((m) => ({
          account_id: m.account_id,
          name: m.full_name,
          username: m.username,
          role: m.role,
          active: m.active === 1,
        })),
      })),
    });
  });
  return router;
}
