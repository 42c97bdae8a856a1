import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { requireLogin } from '../http/auth.js';
import { idParam } from '../http/params.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { COUNTER_ACTIONS, pressCounter, transferTicket } from './counter.service.js';
import { openOfficeByCode, queueSetupOf } from './queue-setup.service.js';
import { displayPayload } from './queue-snapshot.service.js';
import { checkIn } from './check-in.service.js';
import { issueTicket, presentTicket } from './tickets.service.js';

/**
 * A kiosk token (scope `kiosk`) opens only these calls: taking a number, checking in a booking
 * and reading its own office's queue. Staff sessions and full tokens open them too.
 */
function kioskOrStaff(req: Request, _res: Response, next: NextFunction): void {
  if (!req.account) return next(new UnauthorizedError());
  next();
}

/** The office a caller may issue numbers for: its own (an administrator any). */
const ownOffice = (req: Request): number | null =>
  req.account!.role === 'admin' ? null : req.account!.officeId;

/** The queue on the JSON API (docs/API.md "Queue"). */
export function queueApiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/api/v1/queue/tickets', kioskOrStaff, async (req, res) => {
    const { ticket, group } = await issueTicket(ctx, req.body, ownOffice(req));
    res.status(201).json({ ticket: await presentTicket(ctx, ticket, group) });
  });

  router.post('/api/v1/queue/check-in', kioskOrStaff, async (req, res) => {
    const { ticket, group } = await checkIn(ctx, req.body, ownOffice(req));
    res.status(201).json({ ticket: await presentTicket(ctx, ticket, group) });
  });

  router.get('/api/v1/queue/:office', kioskOrStaff, async (req, res) => {
    const office = await openOfficeByCode(ctx, String(req.params.office));
    if (!(await accessibleOfficeIds(ctx, req.account!)).includes(office.id))
      throw new ForbiddenError();
    const [snapshot, setup] = await Promise.all([
      ctx.queueHub.snapshot(office.id),
      queueSetupOf(ctx, office.id),
    ]);
    res.json({
      office: { code: office.code, name: office.name },
      ...displayPayload(snapshot),
      waiting: snapshot.groups.flatMap((g) =>
        g.waiting.map((t, ahead) => ({
          number: t.number,
          service_group: g.code,
          people_ahead: ahead,
          priority: t.priority !== '',
          appointment: t.appointment,
        })),
      ),
      counters: setup.counters
        .filter((c) => c.active)
        .map((c) => ({
          id: c.id,
          number: c.number,
          name: c.name,
          officer: c.accountName,
          service_groups: setup.groups.filter((g) => c.groupIds.includes(g.id)).map((g) => g.code),
        })),
    });
  });

  for (const action of COUNTER_ACTIONS) {
    router.post(`/api/v1/queue/counters/:counter/${action}`, requireLogin, async (req, res) => {
      const ticket = await pressCounter(ctx, req.account!, idParam(req, 'counter'), action);
      const { groups } = await queueSetupOf(ctx, ticket!.office_id);
      res.json({
        ticket: await presentTicket(
          ctx,
          ticket!,
          groups.find((g) => g.id === ticket!.group_id)!,
        ),
      });
    });
  }

  router.post('/api/v1/queue/tickets/:id/transfer', requireLogin, async (req, res) => {
    const ticket = await transferTicket(ctx, req.account!, idParam(req), req.body);
    const { groups } = await queueSetupOf(ctx, ticket.office_id);
    res.json({
      ticket: await presentTicket(
        ctx,
        ticket,
        groups.find((g) => g.id === ticket.group_id)!,
      ),
    });
  });

  return router;
}
