import type { AppContext } from '../context.js';
import { actorOf, type CurrentAccount } from '../accounts/current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { dayOfWeek, isIsoDate } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { changeMasterData } from '../master-data.js';
import { parseInput } from '../validation.js';
import { calendarDaySchema } from './calendar.forms.js';
import * as repo from './calendar.repository.js';
import { WorkingCalendar } from './working-days.js';

const C = vi.admin.calendar;

/** The official calendar as the administrators keep it (holidays and make-up Saturdays). */
export async function loadWorkingCalendar(db: Db): Promise<WorkingCalendar> {
  return new WorkingCalendar(await repo.findCalendarDays(db));
}

export const calendarYear = (ctx: AppContext, year: number) => repo.findCalendarYear(ctx.db, year);

/** Adds an announced holiday or make-up Saturday; audited; returns the day. */
export async function addCalendarDay(ctx: AppContext, admin: CurrentAccount, raw: unknown): Promise<string> {
  const input = parseInput(calendarDaySchema, raw);
  if (input.kind === 'make_up_workday' && dayOfWeek(input.day) !== 6) throw new ValidationError({ day: C.makeUpNotSaturday });
  await changeMasterData(ctx, async (tx) => {
    const added = await repo.insertCalendarDay(tx, { day: input.day, kind: input.kind, name: input.name, created_at: ctx.clock.now().toISOString() });
    if (!added) throw new ValidationError({ day: C.dayTaken });
    await recordAudit(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'calendar_day.added', subject: input.day, details: { kind: input.kind, name: input.name } });
  });
  return input.day;
}

export async function removeCalendarDay(ctx: AppContext, admin: CurrentAccount, day: string): Promise<void> {
  if (!isIsoDate(day)) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    if (!(await repo.deleteCalendarDay(tx, day))) throw new NotFoundError();
    await recordAudit(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'calendar_day.removed', subject: day });
  });
}
