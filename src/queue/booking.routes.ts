import { Router, type NextFunction, type Request, type Response } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { TooManyRequestsError } from '../errors.js';
import { handleForm } from '../http/forms.js';
import { rateLimitStore, windowCounter } from '../http/rate-limit-store.js';
import { setFlash } from '../http/view-locals.js';
import { formatDate } from '../lib/format.js';
import { normalizeMobile } from '../lib/phone.js';
import { vi } from '../locale/vi.js';
import {
  bookingForManage,
  bookingView,
  cancelByCitizen,
  moveByCitizen,
} from './appointments.service.js';
import {
  bookingChoices,
  clientKeyOf,
  confirmHold,
  liveHold,
  manageLink,
  papersOf,
  placeHold,
} from './booking.service.js';
import { officeOfId, queueSetupOf } from './queue-setup.service.js';

declare module 'express-session' {
  interface SessionData {
    /** The booking this browser proved (code and phone) it may see, move or cancel, and until when. */
    managedBooking?: { id: number; until: number };
  }
}

const B = vi.booking;
const HOUR = 3_600_000;
/** Confirmation codes one phone may be sent in an hour (each is an SMS to a stranger's phone, maybe). */
const CODES_PER_PHONE_PER_HOUR = 3;
/** How long a proved booking stays open in this browser. */
const MANAGE_MS = 30 * 60_000;

/**
 * The citizen's booking pages: choose a slot, confirm with the code the phone received, then see,
 * move or cancel the booking with its code and phone (`/dat-lich/cua-toi`, the SMS's link).
 */
export function bookingRoutes(ctx: AppContext): Router {
  const router = Router();
  const clientKey = (req: Request) => clientKeyOf(ctx, ipKeyGenerator(req.ip ?? 'unknown'));
  // Anonymous writes that hold a place or send an SMS, and lookups by code and phone: per client address.
  const anonymousWrites = rateLimit({
    windowMs: HOUR,
    limit: ctx.config.bookingRateLimitPerHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(ctx, 'booking.anonymous_writes', HOUR),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new TooManyRequestsError(vi.queue.errors.tooManyBookings, 3600)),
  });
  const codesPerPhone = windowCounter(ctx, 'booking.codes_per_phone', HOUR);

  async function showBooking(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
    conflict: string | null = null,
  ) {
    const q = { ...req.query, ...values } as Record<string, unknown>;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 40) : '');
    const offices = (await ctx.masterData.offices()).filter((o) => !o.valid_to);
    const officeCode =
      str('office') || offices.find((o) => o.parent_id !== null)?.code || offices[0]!.code;
    const choices = await bookingChoices(ctx, officeCode, str('service_group'), str('day'));
    res.status(status).render('queue/booking', {
      title: B.title,
      offices,
      choices,
      values: q,
      errors,
      conflict,
      holdMinutes: ctx.config.booking.holdMinutes,
    });
  }
  router.get('/dat-lich', (req, res) => showBooking(req, res));
  router.post('/dat-lich', anonymousWrites, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const phone = normalizeMobile(String(req.body?.phone ?? ''));
        if (phone && ((await codesPerPhone.peek(phone))?.hits ?? 0) >= CODES_PER_PHONE_PER_HOUR)
          throw new TooManyRequestsError(B.errors.tooManyCodes, 3600);
        const { ref } = await placeHold(ctx, req.body, clientKey(req));
        if (phone) await codesPerPhone.hit(phone);
        res.redirect(303, `/dat-lich/xac-nhan/${ref}`);
      },
      (f) => showBooking(req, res, f.status, f.errors, f.values, f.conflict),
    ),
  );

  async function showConfirm(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
  ) {
    const hold = await liveHold(ctx, String(req.params.ref));
    res.status(hold ? status : 410).render('queue/booking-confirm', {
      title: B.confirm.title,
      hold,
      errors,
      gone: hold ? null : B.errors.notConfirmed,
    });
  }
  router.get('/dat-lich/xac-nhan/:ref', (req, res) => showConfirm(req, res));
  router.post('/dat-lich/xac-nhan/:ref', async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const booking = await confirmHold(ctx, String(req.params.ref), req.body);
        req.session.managedBooking = { id: booking.id, until: Date.now() + MANAGE_MS };
        const office = await officeOfId(ctx, booking.office_id);
        const group =
          (await queueSetupOf(ctx, office.id)).groups.find((g) => g.id === booking.group_id) ??
          null;
        res.status(201).render('queue/booking-done', {
          title: B.done.title,
          booking,
          office,
          group,
          papers: await papersOf(ctx, group),
          manageUrl: manageLink(ctx, booking.code),
        });
      },
      async (f) => {
        if (f.conflict) {
          res.status(409).render('queue/booking-confirm', {
            title: B.confirm.title,
            hold: null,
            errors: {},
            gone: f.conflict,
          });
          return;
        }
        await showConfirm(req, res, f.status, f.errors);
      },
    ),
  );

  // ---- The citizen's own booking ------------------------------------------------------------
  async function showManage(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
  ) {
    res.status(status).render('queue/booking-manage', {
      title: B.manage.title,
      errors,
      values: {
        code: typeof req.query.ma === 'string' ? req.query.ma.slice(0, 20) : '',
        ...values,
      },
    });
  }
  router.get('/dat-lich/cua-toi', (req, res) => showManage(req, res));
  router.post('/dat-lich/cua-toi', anonymousWrites, async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const booking = await bookingForManage(ctx, req.body);
        req.session.managedBooking = { id: booking.id, until: Date.now() + MANAGE_MS };
        res.redirect(303, '/dat-lich/cua-toi/lich');
      },
      (f) => showManage(req, res, f.status, f.errors, f.values),
    ),
  );

  /** The booking this browser proved, or null (the page then asks again). */
  const managed = (req: Request) => {
    const m = req.session.managedBooking;
    return m && m.until > Date.now() ? m.id : null;
  };
  async function showMine(
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
  ) {
    const id = managed(req);
    if (id === null) {
      setFlash(req, B.manage.sessionEnded);
      return res.redirect(303, '/dat-lich/cua-toi');
    }
    const moveDay =
      typeof values.day === 'string'
        ? values.day
        : typeof req.query.ngay === 'string'
          ? req.query.ngay.slice(0, 10)
          : '';
    const view = await bookingView(ctx, id, moveDay);
    res.status(status).render('queue/booking-mine', {
      title: B.manage.title,
      ...view,
      moveDay,
      errors,
      values,
    });
  }
  router.get('/dat-lich/cua-toi/lich', (req, res) => showMine(req, res));
  router.post('/dat-lich/cua-toi/huy', async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const id = managed(req);
        if (id === null) return void (await showMine(req, res));
        const booking = await cancelByCitizen(ctx, id);
        delete req.session.managedBooking;
        res.render('queue/booking-cancelled', {
          title: B.manage.cancelledTitle,
          booking,
          office: await officeOfId(ctx, booking.office_id),
        });
      },
      (f) => showMine(req, res, f.status, f.errors, f.values),
    ),
  );
  router.post('/dat-lich/cua-toi/doi', async (req, res) =>
    handleForm(
      req,
      res,
      async () => {
        const id = managed(req);
        if (id === null) return void (await showMine(req, res));
        const moved = await moveByCitizen(ctx, id, req.body);
        setFlash(req, B.manage.moved(moved.slot_start, formatDate(moved.day)));
        res.redirect(303, '/dat-lich/cua-toi/lich');
      },
      (f) => showMine(req, res, f.status, f.conflict ? { slot: f.conflict } : f.errors, f.values),
    ),
  );
  return router;
}
