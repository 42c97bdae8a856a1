import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { handleForm, type FormValues } from '../http/forms.js';
import { setFlash } from '../http/view-locals.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { renderableFields } from '../validation.js';
import { yearGrid } from './calendar-grid.js';
import { calendarDayFields } from './calendar.forms.js';
import { addCalendarDay, calendarYear, removeCalendarDay } from './calendar.service.js';

/** Administration of the calendar (`/quan-tri/lich`): each year as a calendar, its special days. */
export function calendarRoutes(ctx: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');

  async function showCalendar(req: Request, res: Response, errors: Record<string, string> = {}, values: FormValues = { kind: 'holiday' }) {
    const yearText = typeof req.query.nam === 'string' ? req.query.nam : '';
    const year = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100 ? Number(yearText) : Number(localDateOf(ctx.clock.now()).slice(0, 4));
    const days = await calendarYear(ctx, year);
    res.render('calendar/admin-calendar', { title: vi.admin.titles.calendar(year), year, days, months: yearGrid(year, days), fields: renderableFields(calendarDayFields), errors, values });
  }
  router.get('/quan-tri/lich', admins, async (req, res) => showCalendar(req, res));
  router.post('/quan-tri/lich', admins, async (req, res) =>
    handleForm(req, res, async () => {
      const day = await addCalendarDay(ctx, req.account!, req.body);
      setFlash(req, vi.admin.flash.dayAdded);
      res.redirect(303, `/quan-tri/lich?nam=${day.slice(0, 4)}`);
    }, (f) => showCalendar(req, res, f.errors, f.values)),
  );
  router.post('/quan-tri/lich/:day/xoa', admins, async (req, res) => {
    const day = String(req.params.day);
    await removeCalendarDay(ctx, req.account!, day);
    setFlash(req, vi.admin.flash.dayRemoved);
    res.redirect(303, `/quan-tri/lich?nam=${day.slice(0, 4)}`);
  });
  return router;
}
