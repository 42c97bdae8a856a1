import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireRole } from '../http/auth.js';
import { handleForm, saveForm, type FormValues } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { officeOptions } from '../offices/offices.service.js';
import { renderableFields } from '../validation.js';
import {
  accountCreateFields,
  accountEditFields,
  passwordResetFields,
  tokenFields,
} from './account-admin.forms.js';
import * as admin from './account-admin.service.js';

const A = vi.admin;

/** Administration of accounts and API tokens (`/quan-tri/tai-khoan`), and the administration menu. */
export function accountAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');

  router.get('/quan-tri', admins, (_req, res) =>
    res.render('accounts/admin-index', { title: A.title }),
  );

  async function showAccounts(
    res: Response,
    errors: Record<string, string> = {},
    values: FormValues = { role: 'officer' },
  ) {
    res.render('accounts/admin-accounts', {
      title: A.titles.accounts,
      accounts: await admin.listAccounts(ctx),
      createFields: renderableFields(accountCreateFields, { office_id: await officeOptions(ctx) }),
      errors,
      values,
    });
  }
  router.get('/quan-tri/tai-khoan', admins, async (_req, res) => showAccounts(res));
  router.post('/quan-tri/tai-khoan', admins, async (req, res) =>
    saveForm(req, res, () => admin.createAccount(ctx, req.account!, req.body), {
      flash: A.flash.accountCreated,
      to: (id) => `/quan-tri/tai-khoan/${id}`,
      rerender: (f) => showAccounts(res, f.errors, f.values),
    }),
  );

  async function showAccount(
    req: Request,
    res: Response,
    extra: {
      errors?: Record<string, string>;
      values?: FormValues;
      section?: string;
      issuedToken?: string;
    } = {},
  ) {
    const target = await admin.accountById(ctx, idParam(req));
    if (!target) throw new NotFoundError();
    const offices = { office_id: await officeOptions(ctx) };
    res.render('accounts/admin-account', {
      title: target.username,
      target,
      editFields: renderableFields(accountEditFields, offices),
      passwordFields: renderableFields(passwordResetFields),
      tokenFields: renderableFields(tokenFields),
      tokens: await admin.tokensOf(ctx, target.id),
      values: extra.values ?? { ...target, active: target.active ? '1' : '' },
      errors: extra.errors ?? {},
      section: extra.section ?? null,
      issuedToken: extra.issuedToken ?? null,
    });
  }
  router.get('/quan-tri/tai-khoan/:id', admins, async (req, res) => showAccount(req, res));
  router.post('/quan-tri/tai-khoan/:id', admins, async (req, res) =>
    saveForm(req, res, () => admin.updateAccount(ctx, req.account!, idParam(req), req.body), {
      flash: A.flash.accountSaved,
      to: () => `/quan-tri/tai-khoan/${idParam(req)}`,
      rerender: (f) =>
        showAccount(req, res, { errors: f.errors, values: f.values, section: 'edit' }),
    }),
  );
  router.post('/quan-tri/tai-khoan/:id/mat-khau', admins, async (req, res) =>
    saveForm(req, res, () => admin.resetPassword(ctx, req.account!, idParam(req), req.body), {
      flash: A.flash.passwordReset,
      to: () => `/quan-tri/tai-khoan/${idParam(req)}`,
      rerender: (f) => showAccount(req, res, { errors: f.errors, section: 'password' }),
    }),
  );
  router.post('/quan-tri/tai-khoan/:id/khoa-api', admins, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        // Rendered, not redirected: the token must never sit in a session or a URL.
        const token = await admin.issueToken(ctx, req.account!, idParam(req), req.body);
        res.setHeader('Cache-Control', 'no-store');
        await showAccount(req, res, { issuedToken: token });
      },
      (f) => showAccount(req, res, { errors: f.errors, section: 'token' }),
    ),
  );
  router.post('/quan-tri/tai-khoan/:id/khoa-api/:tokenId/thu-hoi', admins, async (req, res) => {
    await admin.revokeToken(ctx, req.account!, idParam(req), idParam(req, 'tokenId'));
    setFlash(req, A.flash.tokenRevoked);
    res.redirect(303, `/quan-tri/tai-khoan/${idParam(req)}`);
  });

  return router;
}
