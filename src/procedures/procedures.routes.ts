import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { handleForm, saveForm, type FormValues } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { renderableFields } from '../validation.js';
import { documentFields, procedureFields } from './procedures.forms.js';
import * as catalog from './procedures.service.js';
import { resetStepPlan, saveStepPlan, stepPlanOf } from './step-plan.service.js';

const A = vi.admin;

/** The catalog: its administration (`/quan-tri/thu-tuc`) and its API (`/api/v1/procedures`). */
export function procedureRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');
  const fields = async () =>
    renderableFields(procedureFields, {
      report_group: (await catalog.reportGroups(ctx)).map((g) => [g.code, g.name]),
    });

  async function showProcedures(
    res: Response,
    errors: Record<string, string> = {},
    values: FormValues = { active: '1', processing_days: '1' },
  ) {
    res.render('procedures/admin-procedures', {
      title: A.titles.procedures,
      procedures: await catalog.listProcedures(ctx),
      fields: await fields(),
      errors,
      values,
    });
  }
  router.get('/quan-tri/thu-tuc', admins, async (_req, res) => showProcedures(res));
  router.post('/quan-tri/thu-tuc', admins, async (req, res) =>
    saveForm(req, res, () => catalog.saveProcedure(ctx, req.account!, null, req.body), {
      flash: A.flash.procedureCreated,
      to: (id) => `/quan-tri/thu-tuc/${id}`,
      rerender: (f) => showProcedures(res, f.errors, f.values),
    }),
  );

  async function showProcedure(
    req: Request,
    res: Response,
    extra: {
      errors?: Record<string, string>;
      values?: FormValues;
      section?: string;
      docValues?: FormValues;
      planValues?: FormValues;
    } = {},
  ) {
    const procedure = await catalog.procedureById(ctx, idParam(req));
    if (!procedure) throw new NotFoundError();
    res.render('procedures/admin-procedure', {
      title: procedure.name,
      procedure,
      fields: await fields(),
      documentFields: renderableFields(documentFields),
      documents: await catalog.documentsOf(ctx, procedure.id),
      values:
        extra.section === 'procedure' && extra.values
          ? extra.values
          : {
              ...procedure,
              is_vehicle: procedure.is_vehicle ? '1' : '',
              first_registration: procedure.first_registration ? '1' : '',
              active: procedure.active ? '1' : '',
            },
      docValues: extra.docValues ?? {},
      stepPlan: await stepPlanOf(ctx, procedure.id),
      planValues: extra.planValues ?? null,
      errors: extra.errors ?? {},
      section: extra.section ?? null,
    });
  }
  router.get('/quan-tri/thu-tuc/:id', admins, async (req, res) => showProcedure(req, res));
  router.post('/quan-tri/thu-tuc/:id', admins, async (req, res) =>
    saveForm(req, res, () => catalog.saveProcedure(ctx, req.account!, idParam(req), req.body), {
      flash: A.flash.procedureSaved,
      to: () => `/quan-tri/thu-tuc/${idParam(req)}`,
      rerender: (f) =>
        showProcedure(req, res, { errors: f.errors, values: f.values, section: 'procedure' }),
    }),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to', admins, async (req, res) =>
    saveForm(
      req,
      res,
      () => catalog.saveDocument(ctx, req.account!, idParam(req), null, req.body),
      {
        flash: A.flash.documentAdded,
        to: () => `/quan-tri/thu-tuc/${idParam(req)}`,
        rerender: (f) =>
          showProcedure(req, res, { errors: f.errors, docValues: f.values, section: 'doc-new' }),
      },
    ),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to/:docId', admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        await catalog.saveDocument(
          ctx,
          req.account!,
          idParam(req),
          idParam(req, 'docId'),
          req.body,
        );
        setFlash(req, A.flash.documentSaved);
        res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
      },
      (f) =>
        showProcedure(req, res, {
          errors: f.errors,
          docValues: f.values,
          section: `doc-${idParam(req, 'docId')}`,
        }),
    ),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to/:docId/xoa', admins, async (req, res) => {
    await catalog.removeDocument(ctx, req.account!, idParam(req), idParam(req, 'docId'));
    setFlash(req, A.flash.documentRemoved);
    res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
  });

  router.post('/quan-tri/thu-tuc/:id/quy-trinh', admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        if (req.body?.reset === '1') {
          await resetStepPlan(ctx, req.account!, idParam(req));
          setFlash(req, vi.handover.admin.planReset);
        } else {
          await saveStepPlan(ctx, req.account!, idParam(req), req.body ?? {});
          setFlash(req, vi.handover.admin.planSaved);
        }
        res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}#quy-trinh`);
      },
      (f) => showProcedure(req, res, { errors: f.errors, planValues: f.values, section: 'plan' }),
    ),
  );

  router.get('/api/v1/procedures', requireLogin, async (_req, res) => {
    const procedures = await catalog.activeProcedures(ctx);
    res.json({
      procedures: procedures.map((p) => ({
        code: p.code,
        name: p.name,
        field: p.field,
        report_group: p.report_group,
        report_group_name: p.reportGroupName,
        processing_days: p.processing_days,
        fee_vnd: p.fee_vnd,
        is_vehicle: p.is_vehicle === 1,
        first_registration: p.first_registration === 1,
      })),
    });
  });

  router.get('/api/v1/procedures/:code', requireLogin, async (req, res) => {
    const p = await catalog.procedureByCode(ctx, String(req.params.code));
    if (!p || !p.active) throw new NotFoundError(vi.dossiers.errors.procedureUnknown);
    res.json({
      procedure: {
        code: p.code,
        name: p.name,
        field: p.field,
        report_group: p.report_group,
        processing_days: p.processing_days,
        processing_note: p.processing_note,
        fee_vnd: p.fee_vnd,
        fee_note: p.fee_note,
        legal_basis: p.legal_basis,
        is_vehicle: p.is_vehicle === 1,
        first_registration: p.first_registration === 1,
        documents: p.documents.map((d) => ({
          id: d.id,
          name: d.name,
          required: d.required === 1,
          copy_kind: d.copy_kind,
          quantity: d.quantity,
        })),
      },
    });
  });

  return router;
}
