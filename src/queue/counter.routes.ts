import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { handleForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { ValidationError, isFormError } from '../errors.js';
import { vi } from '../locale/vi.js';
import {
  COUNTER_ACTIONS,
  counterConsole,
  pressCounter,
  seatAtCounter,
  transferTicket,
  type CounterAction,
} from './counter.service.js';
import { counterOfAccount, officeOfId, queueSetupOf } from './queue-setup.service.js';
import { checkIn } from './check-in.service.js';
import { queueReportFor, queueReportQuery } from './queue-report.service.js';
import { saveCounter, saveGroup, queueAdminView } from './queue-admin.service.js';

const C = vi.queue.counter;

/** The counter's console (`/quay`), the queue's administration and its report. */
export function counterRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/quay', requireLogin, async (req, res) => {
    const { groups, counters } = await queueSetupOf(ctx, req.account!.officeId);
    const mine = counters.find((c) => c.account_id === req.account!.id);
    if (mine && req.query.chon !== '1') return res.redirect(303, `/quay/${mine.id}`);
    res.render('queue/counters', {
      title: C.chooseTitle,
      groups,
      counters: counters.filter((c) => c.active),
    });
  });
  router.post('/quay/:id/ngoi', requireLogin, async (req, res) => {
    await seatAtCounter(ctx, req.account!, idParam(req), true);
    res.redirect(303, `/quay/${idParam(req)}`);
  });
  router.post('/quay/:id/roi', requireLogin, async (req, res) => {
    await seatAtCounter(ctx, req.account!, idParam(req), false);
    setFlash(req, C.left);
    res.redirect(303, '/quay?chon=1');
  });

  async function showConsole(
    req: Request,
    res: Response,
    status = 200,
    error: string | null = null,
  ) {
    const view = await counterConsole(ctx, req.account!, idParam(req));
    res.status(status).render('queue/console', {
      title: C.title(view.counter.name),
      ...view,
      error,
      now: ctx.clock.now(),
    });
  }
  router.get('/quay/:id', requireLogin, (req, res) => showConsole(req, res));
  router.post('/quay/:id/thao-tac/:action', requireLogin, async (req, res) => {
    const action = String(req.params.action) as CounterAction;
    if (!COUNTER_ACTIONS.includes(action)) return showConsole(req, res, 404);
    try {
      const ticket = await pressCounter(ctx, req.account!, idParam(req), action);
      const n = ticket?.number ?? '';
      setFlash(
        req,
        {
          'call-next': C.called,
          recall: C.recalled,
          skip: C.skipped,
          start: C.serving,
          finish: C.finished,
        }[action](n),
      );
      res.redirect(303, `/quay/${idParam(req)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await showConsole(req, res, err instanceof ValidationError ? 422 : 409, err.message);
    }
  });
  // An appointment arrives at the counter rather than the kiosk: the booking becomes a ticket.
  router.post('/quay/:id/xac-nhan', requireLogin, async (req, res) => {
    try {
      const counter = await counterOfAccount(ctx, req.account!, idParam(req));
      const office = await officeOfId(ctx, counter.office_id);
      const { ticket } = await checkIn(
        ctx,
        { booking: req.body?.booking, proof: req.body?.proof ?? '', office: office.code },
        counter.office_id,
      );
      setFlash(req, C.checkedIn(ticket.number));
      res.redirect(303, `/quay/${idParam(req)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await showConsole(
        req,
        res,
        err instanceof ValidationError ? 422 : 409,
        Object.values((err as ValidationError).fields ?? {})[0] ?? err.message,
      );
    }
  });
  router.post('/quay/:id/chuyen/:ticket', requireLogin, async (req, res) => {
    try {
      const ticket = await transferTicket(ctx, req.account!, idParam(req, 'ticket'), req.body);
      const { groups } = await queueSetupOf(ctx, ticket.office_id);
      setFlash(
        req,
        C.transferred(ticket.number, groups.find((g) => g.id === ticket.group_id)!.name),
      );
      res.redirect(303, `/quay/${idParam(req)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await showConsole(
        req,
        res,
        err instanceof ValidationError ? 422 : 409,
        Object.values((err as ValidationError).fields ?? {})[0] ?? err.message,
      );
    }
  });

  const admins = requireRole('admin');
  async function showAdmin(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    failed: string | null = null,
    values: Record<string, unknown> = {},
  ) {
    res.status(status).render('queue/admin', {
      title: vi.queue.admin.title,
      ...(await queueAdminView(ctx, req)),
      errors,
      failed,
      values,
    });
  }
  router.get('/quan-tri/xep-hang', admins, (req, res) => showAdmin(req, res));
  for (const [path, save] of [
    ['nhom', saveGroup],
    ['quay', saveCounter],
  ] as const) {
    router.post(`/quan-tri/xep-hang/${path}`, admins, async (req, res) =>
      handleForm(
        req,
        res,
        async () => {
          const officeId = await save(ctx, req.account!, req.body ?? {});
          setFlash(req, vi.queue.admin.saved);
          res.redirect(303, `/quan-tri/xep-hang?office=${officeId}`);
        },
        (f) =>
          showAdmin(
            req,
            res,
            f.status,
            f.errors,
            `${path}:${String(req.body?.id ?? '')}`,
            f.values,
          ),
      ),
    );
  }

  router.get('/bao-cao/xep-hang', requireRole('supervisor', 'admin'), async (req, res) => {
    const q = queueReportQuery(req.query, ctx.clock.now());
    const report = await queueReportFor(ctx, req.account!, q);
    res
      .status(report.errors ? 422 : 200)
      .render('queue/report', { title: vi.queue.report.title, ...report });
  });
  return router;
}
