import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { saveForm, type FormValues } from '../http/forms.js';
import { setFlash } from '../http/view-locals.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { renderableFields } from '../validation.js';
import { yearGrid } from './calendar-grid.js';
import { calendarDayFields } from './calendar.forms.js';
import {
  addCalendarDay,
  CALENDAR_YEARS,
  calendarYear,
  confirmCalendarYear,
  pendingScheduleYear,
  removeCalendarDay,
  setCultureDay,
} from './calendar.service.js';

function yearParam(text: string): number | null {
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  return year >= CALENDAR_YEARS.min && year <= CALENDAR_YEARS.max ? year : null;
}

/**
 * The calendar: its administration (`/quan-tri/lich`: each year as a calendar, its special days,
 * whether the schedule is official, provisional or only projected; confirm it; the pending 24/11
 * holiday) and `GET /api/v1/calendar/:year`.
 */
export function calendarRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');

  async function showCalendar(
    req: Request,
    res: Response,
    errors: Record<string, string> = {},
    values: FormValues = { kind: 'holiday' },
  ) {
    const year =
      yearParam(typeof req.query.nam === 'string' ? req.query.nam : '') ??
      Number(localDateOf(ctx.clock.now()).slice(0, 4));
    const view = await calendarYear(ctx, year);
    res.render('calendar/admin-calendar', {
      title: vi.admin.titles.calendar(year),
      ...view,
      months: yearGrid(year, view.days),
      fields: renderableFields(calendarDayFields),
      errors,
      values,
    });
  }
  router.get('/quan-tri/lich', admins, async (req, res) => showCalendar(req, res));
  router.post('/quan-tri/lich', admins, async (req, res) =>
    saveForm(req, res, () => addCalendarDay(ctx, req.account!, req.body), {
      flash: vi.admin.flash.dayAdded,
      to: (day) => `/quan-tri/lich?nam=${day.slice(0, 4)}`,
      rerender: (f) => showCalendar(req, res, f.errors, f.values),
    }),
  );
  router.post('/quan-tri/lich/:day/xoa', admins, async (req, res) => {
    const day = String(req.params.day);
    await removeCalendarDay(ctx, req.account!, day);
    setFlash(req, vi.admin.flash.dayRemoved);
    res.redirect(303, `/quan-tri/lich?nam=${day.slice(0, 4)}`);
  });
  router.post('/quan-tri/lich/nam/:year/xac-nhan', admins, async (req, res) => {
    const year = yearParam(String(req.params.year));
    if (year === null) throw new NotFoundError();
    await confirmCalendarYear(ctx, req.account!, year);
    setFlash(req, vi.admin.flash.yearConfirmed(year));
    res.redirect(303, `/quan-tri/lich?nam=${year}`);
  });
  router.post('/quan-tri/lich/ngay-van-hoa', admins, async (req, res) => {
    const enabled = req.body?.enabled === '1';
    await setCultureDay(ctx, req.account!, enabled);
    setFlash(req, enabled ? vi.admin.flash.cultureDayOn : vi.admin.flash.cultureDayOff);
    res.redirect(
      303,
      `/quan-tri/lich${typeof req.body?.nam === 'string' && yearParam(req.body.nam) ? `?nam=${req.body.nam}` : ''}`,
    );
  });

  router.get('/api/v1/calendar/:year', requireLogin, async (req, res) => {
    const year = yearParam(String(req.params.year));
    if (year === null)
      throw new NotFoundError(
        vi.admin.calendar.yearUnknown(CALENDAR_YEARS.min, CALENDAR_YEARS.max),
      );
    const view = await calendarYear(ctx, year);
    const provisional = view.status !== 'official';
    res.json({
      year,
      status: view.status,
      days: view.days.map((d) => ({ day: d.day, kind: d.kind, name: d.name, provisional })),
    });
  });
  return router;
}

/**
 * From 1 October, administrators and supervisors see on every page that next year's official
 * schedule is not confirmed yet, until it is (docs/DOMAIN.md §4).
 */
export function calendarBanner(ctx: AppContext) {
  return async (req: Request, res: Response, next: (err?: unknown) => void): Promise<void> => {
    res.locals.calendarBanner = null;
    if (
      req.method === 'GET' &&
      (req.account?.role === 'admin' || req.account?.role === 'supervisor')
    ) {
      const year = await pendingScheduleYear(ctx);
      if (year !== null)
        res.locals.calendarBanner = {
          text: vi.calendar.banner(year),
          href: `/quan-tri/lich?nam=${year}`,
          link: vi.calendar.bannerLink,
          admin: req.account.role === 'admin',
        };
    }
    next();
  };
}
