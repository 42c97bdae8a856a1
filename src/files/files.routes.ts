import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireLogin } from '../http/auth.js';
import { handleForm, type FormFailure } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { attachFiles, componentOf, markPaperOnly, reuseForComponent } from './attach.service.js';
import { openFileContent } from './content.service.js';
import { attachRefusal, RESULT } from './file-access.js';
import { ACCEPT, componentsOf } from './files-view.service.js';
import { reusableFor } from './reuse.service.js';
import { reuseAllOffered } from './reuse-all.service.js';
import { sendFile } from './send-file.js';

function refOf(req: Request): string {
  const ref = String(req.params.ref ?? '');
  if (ref.length > 60) throw new NotFoundError(vi.dossiers.errors.notFound);
  return ref;
}

function componentKeyOf(req: Request): string {
  const key = String(req.params.component ?? '');
  if (key !== RESULT && !/^\d{1,9}$/.test(key)) throw new NotFoundError();
  return key;
}

const dossierPath = (ref: string) => `/ho-so/${encodeURIComponent(ref)}`;

/**
 * The files of a dossier on its pages: one component's page (its scans and their history, the
 * attach form, "original seen, kept on paper", the person's papers to reuse), the reuse page of
 * the whole dossier, and the files themselves (shown inline, or downloaded), each view logged.
 */
export function fileRoutes(ctx: AppContext): Router {
  const router = Router();

  async function renderComponent(
    req: Request,
    res: Response,
    failure: Partial<FormFailure> & { form?: string } = {},
  ) {
    const ref = refOf(req);
    const key = componentKeyOf(req);
    const dossier = await loadAccessibleDossier(ctx, req.account!, ref);
    const component = await componentOf(ctx, dossier, key);
    const { components, result } = await componentsOf(ctx, dossier);
    const view = key === RESULT ? result : components.find((c) => c.key === key)!;
    const refusal = attachRefusal(req.account!, dossier, key);
    const candidates =
      key !== RESULT && !refusal && dossier.personal_id
        ? ((
            await reusableFor(ctx, req.account!, {
              personalId: dossier.personal_id,
              documents: [{ key, name: component.name }],
              exceptDossierId: dossier.id,
            })
          )[key] ?? [])
        : [];
    res.status(failure.status ?? 200).render('files/component', {
      title: vi.files.componentTitle(component.name),
      dossier,
      ref: dossier.code ?? String(dossier.id),
      component: view,
      canAttach: !refusal,
      candidates,
      limits: {
        maxBytes: ctx.config.files.maxBytes,
        maxPages: ctx.config.files.maxPages,
        accept: ACCEPT,
      },
      form: failure.form ?? null,
      errors: failure.errors ?? {},
      values: failure.values ?? {},
      conflict: failure.conflict ?? null,
    });
  }

  router.get('/ho-so/:ref/giay-to/:component', requireLogin, (req, res) =>
    renderComponent(req, res),
  );

  router.post('/ho-so/:ref/giay-to/:component/tep', requireLogin, async (req, res) => {
    const ref = refOf(req);
    const key = componentKeyOf(req);
    await handleForm(
      req,
      res,
      async () => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        await attachFiles(ctx, req.account!, ref, key, req.spooled ?? [], req.uploadError ?? null, {
          mode: body.mode,
          valid_until: body.valid_until,
        });
        setFlash(req, vi.files.attached);
        res.redirect(303, `${dossierPath(ref)}#so-hoa`);
      },
      (failure) => renderComponent(req, res, { ...failure, form: 'attach' }),
    );
  });

  router.post('/ho-so/:ref/giay-to/:component/ban-giay', requireLogin, async (req, res) => {
    const ref = refOf(req);
    const key = componentKeyOf(req);
    await handleForm(
      req,
      res,
      async () => {
        await markPaperOnly(
          ctx,
          req.account!,
          ref,
          key,
          (req.body as Record<string, unknown>)?.reason,
        );
        setFlash(req, vi.files.paperDone);
        res.redirect(303, `${dossierPath(ref)}#so-hoa`);
      },
      (failure) => renderComponent(req, res, { ...failure, form: 'paper' }),
    );
  });

  router.post('/ho-so/:ref/giay-to/:component/dung-lai', requireLogin, async (req, res) => {
    const ref = refOf(req);
    const key = componentKeyOf(req);
    const back = (req.body as Record<string, unknown>)?.back === 'reuse';
    await handleForm(
      req,
      res,
      async () => {
        const done = await reuseForComponent(
          ctx,
          req.account!,
          ref,
          key,
          (req.body as Record<string, unknown>)?.source,
        );
        setFlash(req, vi.files.reusedDone(done.componentName));
        res.redirect(303, back ? `${dossierPath(ref)}/dung-lai` : `${dossierPath(ref)}#so-hoa`);
      },
      (failure) => renderComponent(req, res, { ...failure, form: 'reuse' }),
    );
  });

  // One key press: every component without a file gets the applicant's latest valid paper.
  router.post('/ho-so/:ref/dung-lai', requireLogin, async (req, res) => {
    const dossier = await loadAccessibleDossier(ctx, req.account!, refOf(req));
    const names = await reuseAllOffered(ctx, req.account!, dossier);
    setFlash(req, vi.files.reusedAll(names));
    res.redirect(303, `${dossierPath(dossier.code ?? String(dossier.id))}#so-hoa`);
  });

  router.get('/ho-so/:ref/dung-lai', requireLogin, async (req, res) => {
    const dossier = await loadAccessibleDossier(ctx, req.account!, refOf(req));
    const { components } = await componentsOf(ctx, dossier);
    const refusal = attachRefusal(req.account!, dossier, 'document');
    const offered =
      !refusal && dossier.personal_id
        ? await reusableFor(ctx, req.account!, {
            personalId: dossier.personal_id,
            documents: components.map((c) => ({ key: c.key, name: c.name })),
            exceptDossierId: dossier.id,
          })
        : {};
    res.render('files/reuse', {
      title: vi.files.reuseTitle,
      dossier,
      ref: dossier.code ?? String(dossier.id),
      components,
      offered,
      refusal,
    });
  });

  router.get('/tep/:id', requireLogin, async (req, res) => {
    const disposition = req.query.tai === '1' ? 'attachment' : 'inline';
    await sendFile(res, await openFileContent(ctx, req.account!, idParam(req), disposition));
  });

  return router;
}
