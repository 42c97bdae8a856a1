import { Router, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { saveForm, type FormValues } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { viPayments } from '../locale/vi-payments.js';
import { renderableFields } from '../validation.js';
import { createFeeRule, feeRuleFields, listFeeRules, switchFeeRule } from './fee-rules-admin.js';

const L = viPayments.feeRules;

/** The administrator's page of fee rules (`/quan-tri/le-phi`): the list, a new rule, on and off. */
export function feeRuleAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');

  async function show(
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: FormValues = {},
  ) {
    const { rules, procedureOptions } = await listFeeRules(ctx);
    res.status(status).render('payments/fee-rules', {
      title: L.title,
      rules,
      channels: L.channels,
      fields: renderableFields(feeRuleFields, { procedure_code: procedureOptions }),
      errors,
      values,
    });
  }

  router.get('/quan-tri/le-phi', admins, async (_req, res) => show(res));
  router.post('/quan-tri/le-phi', admins, async (req, res) =>
    saveForm(req, res, () => createFeeRule(ctx, req.account!, req.body), {
      flash: L.created,
      to: () => '/quan-tri/le-phi',
      rerender: (f) => show(res, f.status, f.errors, f.values),
    }),
  );
  router.post('/quan-tri/le-phi/:id/ap-dung', admins, async (req, res) => {
    await switchFeeRule(ctx, req.account!, idParam(req), req.body);
    setFlash(req, L.switched((req.body as Record<string, unknown>)?.active === '1'));
    res.redirect(303, '/quan-tri/le-phi');
  });
  return router;
}
