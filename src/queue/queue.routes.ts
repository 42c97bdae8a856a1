import { Router, type NextFunction, type Request, type Response } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import { TooManyRequestsError } from '../errors.js';
import { rateLimitStore } from '../http/rate-limit-store.js';
import type { AppContext } from '../context.js';
import { currentAccountByToken } from '../accounts/accounts.service.js';
import { handleForm } from '../http/forms.js';
import { publicViewLocals } from '../http/view-locals.js';
import { qrSvg } from '../lib/qr.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { allowedPriorities, isLive } from './queue-rules.js';
import { openOfficeByCode, queueSetupOf } from './queue-setup.service.js';
import { displayPayload, type QueueSnapshot } from './queue-snapshot.service.js';
import { registerDisplay, registeredDisplay } from './display-device.js';
import type { StreamKind } from './stream-gate.js';
import { checkIn } from './check-in.service.js';
import {
  followByPhone,
  hallOpenNow,
  issueTicket,
  phoneView,
  presentTicket,
  ticketByKey,
} from './tickets.service.js';
import { publishedHoursOf } from '../calendar/working-hours.js';

const Q = vi.queue;

/**
 * A stream refused (its client holds its share already, or the process is full): the answer an
 * EventSource understands, `retry` and a `busy` event, then the end. The browser comes back after
 * the delay (with some spread, so a crowd refused together does not return together).
 */
function refuseStream(res: Response, reason: 'client' | 'full'): void {
  const seconds = (reason === 'client' ? 30 : 10) + Math.floor(Math.random() * 10);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'Retry-After': String(seconds),
  });
  res.end(
    `retry: ${seconds * 1000}\nevent: busy\ndata: ${JSON.stringify({ reason, retry_after: seconds })}\n\n`,
  );
}

/**
 * A stream of server-sent events fed by the hub, once the gate gave it a place (kind and key:
 * stream-gate.ts); `render` turns a snapshot into the event's data (null: nothing to send).
 */
async function streamQueue(
  ctx: AppContext,
  req: Request,
  res: Response,
  officeId: number,
  place: { kind: StreamKind; key: string },
  render: (s: QueueSnapshot) => Promise<unknown | null>,
): Promise<void> {
  const admission = ctx.queueHub.admit(place.kind, place.key);
  if (!admission.ok) return refuseStream(res, admission.reason);
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;
  req.on('close', () => {
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    unsubscribe?.();
    admission.release();
  });
  try {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    let last = '';
    const send = (snapshot: QueueSnapshot) => {
      void render(snapshot)
        .then((data) => {
          const text = data === null ? '' : JSON.stringify(data);
          if (text && text !== last && !res.writableEnded) res.write(`data: ${(last = text)}\n\n`);
        })
        .catch((err) => ctx.logger.warn({ err }, 'queue event not sent'));
    };
    const stop = await ctx.queueHub.subscribe(officeId, send, () => res.end());
    if (closed) return stop();
    unsubscribe = stop;
    heartbeat = setInterval(() => res.write(': ping\n\n'), 20_000);
    send(await ctx.queueHub.snapshot(officeId));
  } catch (err) {
    ctx.logger.warn({ err }, 'queue stream ended');
    res.end();
  }
}

/** The hall's screen and the citizen's phone: public, no session (they show numbers, never names). */
export function queuePublicRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(['/man-hinh', '/xep-hang'], publicViewLocals);
  const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  router.get('/man-hinh/:office', async (req, res) => {
    const office = await openOfficeByCode(ctx, String(req.params.office));
    const token = typeof req.query.khoa === 'string' ? req.query.khoa : '';
    // A display token in the address registers this screen once; the token leaves the address.
    if (token) {
      await registerDisplay(ctx, res, token, office.id);
      return res.redirect(303, `/man-hinh/${encodeURIComponent(office.code)}`);
    }
    const snapshot = displayPayload(await ctx.queueHub.snapshot(office.id));
    res.render('queue/display', {
      title: Q.display.title(office.short_name),
      office,
      snapshot,
      registered: (await registeredDisplay(ctx, req, office.id)) !== null,
    });
  });
  router.get('/man-hinh/:office/su-kien', async (req, res) => {
    const office = await openOfficeByCode(ctx, String(req.params.office));
    const display = await registeredDisplay(ctx, req, office.id);
    await streamQueue(
      ctx,
      req,
      res,
      office.id,
      display ? { kind: 'display', key: display } : { kind: 'public', key: clientKey(req) },
      async (s) => displayPayload(s),
    );
  });

  router.get('/xep-hang/:key/su-kien', async (req, res) => {
    const { ticket } = await ticketByKey(ctx, String(req.params.key));
    // A ticket whose turn is over has nothing more to say: 204 tells the EventSource to stop.
    if (!isLive(ticket, localDateOf(ctx.clock.now()))) return void res.status(204).end();
    await streamQueue(
      ctx,
      req,
      res,
      ticket.office_id,
      { kind: 'phone', key: String(ticket.id) },
      async (s) => phoneView(ctx, s, ticket.id, String(req.params.key)),
    );
  });
  return router;
}

/**
 * The kiosk's device: a kiosk token in the address once (`/kiosk/CODE?khoa=…`) marks this
 * browser's session as the office's kiosk, and the token leaves the address. A signed-in officer
 * of the office may use the kiosk page too.
 */
async function kioskOffice(ctx: AppContext, req: Request) {
  const office = await openOfficeByCode(ctx, String(req.params.office));
  const token = typeof req.query.khoa === 'string' ? req.query.khoa : '';
  if (token) {
    const found = await currentAccountByToken(ctx, token);
    if (
      found &&
      (found.account.officeId === office.id || found.account.role === 'admin') &&
      (found.scope === 'kiosk' || found.scope === 'full')
    )
      req.session.kioskOfficeId = office.id;
  }
  const allowed =
    req.session.kioskOfficeId === office.id ||
    (req.account && (req.account.officeId === office.id || req.account.role === 'admin'));
  return { office, allowed: Boolean(allowed), tokenGiven: Boolean(token) };
}

/** Kiosk, ticket slip, phone page and booking: pages with forms, after the session middleware. */
export function queuePageRoutes(ctx: AppContext): Router {
  const router = Router();
  // Anonymous writes that hold a place or send an SMS: per client address, so one script cannot
  // book every slot of a day or text a stranger's phone repeatedly.
  const HOUR = 3_600_000;
  const anonymousWrites = rateLimit({
    windowMs: HOUR,
    limit: ctx.config.bookingRateLimitPerHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(ctx, 'queue.anonymous_writes', HOUR),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new TooManyRequestsError(Q.errors.tooManyBookings, 3600)),
  });

  async function showKiosk(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
  ) {
    const { office, allowed, tokenGiven } = await kioskOffice(ctx, req);
    if (tokenGiven && allowed)
      return res.redirect(303, `/kiosk/${encodeURIComponent(office.code)}`);
    const { groups } = await queueSetupOf(ctx, office.id);
    res.status(allowed ? status : 403).render('queue/kiosk', {
      title: Q.kiosk.title(office.short_name),
      office,
      allowed,
      groups: groups.filter((g) => g.active),
      priorities: allowedPriorities(office.queue_priorities),
      open: await hallOpenNow(ctx, office),
      hours: publishedHoursOf(office),
      errors,
      values,
    });
  }
  router.get('/kiosk/:office', (req, res) => showKiosk(req, res));
  for (const [path, act] of [
    ['lay-so', issueTicket],
    ['xac-nhan', checkIn],
  ] as const) {
    router.post(`/kiosk/:office/${path}`, async (req, res) =>
      handleForm(
        req,
        res,
        async () => {
          const { office, allowed } = await kioskOffice(ctx, req);
          if (!allowed) return void (await showKiosk(req, res));
          const { ticket } = await act(ctx, { ...req.body, office: office.code }, office.id);
          res.redirect(303, `/xep-hang/${ticket.access_key}?in=1`);
        },
        (f) =>
          showKiosk(req, res, f.status, f.conflict ? { booking: f.conflict } : f.errors, f.values),
      ),
    );
  }

  async function showTicket(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
  ) {
    const { ticket, group } = await ticketByKey(ctx, String(req.params.key));
    const office = (await ctx.masterData.offices()).find((o) => o.id === ticket.office_id)!;
    const view = await presentTicket(ctx, ticket, group);
    res.status(status).render('queue/ticket', {
      title: Q.phone.title(ticket.number),
      office,
      ticket: view,
      qr: await qrSvg(view.follow_url),
      fromKiosk: req.query.in === '1',
      live: isLive(ticket, localDateOf(ctx.clock.now())),
      errors,
      hasPhone: ticket.phone !== null,
    });
  }
  router.get('/xep-hang/:key', (req, res) => showTicket(req, res));
  router.post('/xep-hang/:key/nhan-tin', anonymousWrites, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        await followByPhone(ctx, String(req.params.key), req.body?.phone);
        res.redirect(303, `/xep-hang/${String(req.params.key)}`);
      },
      (f) => showTicket(req, res, f.status, f.conflict ? { phone: f.conflict } : f.errors),
    ),
  );

  return router;
}
