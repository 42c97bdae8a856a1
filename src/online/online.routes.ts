import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin } from '../http/auth.js';
import { handleForm, type FormFailure } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { acceptOnline, decideOnline } from './inbox.service.js';
import { entryView, inboxView } from './inbox-view.service.js';
import { resendNow, syncProblemsView } from './sync-status.service.js';

const L = vi.online;

/** The online inbox's pages: the list, one entry, and the counter's three decisions. */
export function onlineRoutes(ctx: AppContext): Router {
  const router = Router();

  // Before /truc-tuyen/:id, which would take "dong-bo" for an id.
  async function renderSync(req: Request, res: Response, conflict: string | null = null) {
    const view = await syncProblemsView(ctx, req.account!);
    res.render('online/sync', { title: L.syncTitle, ...view, conflict });
  }
  router.get('/truc-tuyen/dong-bo', requireLogin, (req, res) => renderSync(req, res));
  router.post('/truc-tuyen/dong-bo/:id/gui-lai', requireLogin, async (req, res) => {
    await handleForm(
      req,
      res,
      async () => {
        await resendNow(ctx, req.account!, idParam(req));
        setFlash(req, L.resent);
        res.redirect(303, '/truc-tuyen/dong-bo');
      },
      (failure) => renderSync(req, res, failure.conflict),
    );
  });

  router.get('/truc-tuyen', requireLogin, async (req, res) => {
    const view = await inboxView(ctx, req.account!, req.query);
    res.render('online/inbox', { title: L.inboxTitle, ...view });
  });

  async function renderEntry(
    req: Request,
    res: Response,
    failure: Partial<FormFailure> & { form?: string } = {},
  ) {
    const view = await entryView(ctx, req.account!, String(req.params.id));
    res.render('online/entry', {
      title: L.entryTitle(view.entry.portal_code),
      ...view,
      errors: failure.errors ?? {},
      values: failure.values ?? {},
      conflict: failure.conflict ?? null,
      form: failure.form ?? null,
    });
  }

  router.get('/truc-tuyen/:id', requireLogin, (req, res) => renderEntry(req, res));

  router.post('/truc-tuyen/:id/tiep-nhan', requireLogin, async (req, res) => {
    await handleForm(
      req,
      res,
      async () => {
        const { code } = await acceptOnline(ctx, req.account!, String(req.params.id));
        setFlash(req, L.accepted(code));
        res.redirect(303, `/ho-so/${encodeURIComponent(code)}`);
      },
      (failure) => renderEntry(req, res, { ...failure, form: 'accept' }),
    );
  });

  for (const [path, decision, done] of [
    ['bo-sung', 'supplement', L.supplementAsked],
    ['tu-choi', 'refuse', L.refused],
  ] as const)
    router.post(`/truc-tuyen/:id/${path}`, requireLogin, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      await handleForm(
        req,
        res,
        async () => {
          const entry = await decideOnline(
            ctx,
            req.account!,
            String(req.params.id),
            decision,
            body.reason,
          );
          setFlash(req, entry.phone ? `${done} ${L.smsQueued}` : done);
          res.redirect(303, `/truc-tuyen/${String(req.params.id)}`);
        },
        (failure) => renderEntry(req, res, { ...failure, form: decision }),
      );
    });

  return router;
}
