import type { AppContext } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db, Tx } from '../db/database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { dayOfWeek, isIsoDate, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { changeMasterData } from '../master-data.js';
import { parseInput } from '../validation.js';
import { calendarDaySchema } from './calendar.forms.js';
import * as repo from './calendar.repository.js';
import { projectHolidays, type ProjectionRules } from './holiday-projection.js';
import { WorkingCalendar } from './working-days.js';

const C = vi.admin.calendar;
export const CULTURE_DAY_RULE = 'culture_day';
/** Years the calendar pages and the API answer for (the lunar algorithm holds far beyond). */
export const CALENDAR_YEARS = { min: 1990, max: 2100 } as const;

async function projectionRules(db: Db): Promise<ProjectionRules> {
  const rules = await repo.findCalendarRules(db);
  return { cultureDay: rules.some((r) => r.name === CULTURE_DAY_RULE && r.enabled === 1) };
}

/**
 * The calendar every due date is computed with: the kept schedules (official, or provisional
 * ones an administrator is still correcting), and for every other year the holidays projected
 * from the Labour Code, marked provisional (docs/DOMAIN.md §4).
 */
export async function loadWorkingCalendar(db: Db): Promise<WorkingCalendar> {
  const [days, years, rules] = await Promise.all([
    repo.findCalendarDays(db),
    repo.findKeptYears(db),
    projectionRules(db),
  ]);
  return new WorkingCalendar(days, {
    kept: new Map(years.map((y) => [y.year, y.status])),
    project: (year) => projectHolidays(year, rules),
  });
}

export type YearStatus = 'official' | 'provisional' | 'projected';

/** A year as the calendar counts it: its special days, and whether they are confirmed. */
export async function calendarYear(ctx: AppContext, year: number) {
  const calendar = await ctx.masterData.calendar();
  const kept = new Map((await repo.findKeptYears(ctx.db)).map((y) => [y.year, y.status]));
  const status: YearStatus = kept.get(year) ?? 'projected';
  const { days } = calendar.specialDays(year);
  const rules = await projectionRules(ctx.db);
  return { year, status, days, cultureDay: rules.cultureDay };
}

/** Before editing a year that is only projected, its projection becomes rows, still provisional. */
async function keepYear(ctx: AppContext, tx: Tx, year: number): Promise<void> {
  const kept = (await repo.findKeptYears(tx)).find((y) => y.year === year);
  if (kept) return;
  const now = ctx.clock.now().toISOString();
  for (const d of projectHolidays(year, await projectionRules(tx)))
    await repo.insertCalendarDay(tx, { ...d, created_at: now });
  await repo.upsertCalendarYear(tx, year, 'provisional', now);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max)
    throw new NotFoundError();
}

/** Adds an announced holiday or make-up Saturday; audited; returns the day. */
export async function addCalendarDay(
  ctx: AppContext,
  admin: CurrentAccount,
  raw: unknown,
): Promise<string> {
  const input = parseInput(calendarDaySchema, raw);
  if (input.kind === 'make_up_workday' && dayOfWeek(input.day) !== 6)
    throw new ValidationError({ day: C.makeUpNotSaturday });
  await changeMasterData(ctx, async (tx) => {
    await keepYear(ctx, tx, Number(input.day.slice(0, 4)));
    const added = await repo.insertCalendarDay(tx, {
      day: input.day,
      kind: input.kind,
      name: input.name,
      created_at: ctx.clock.now().toISOString(),
    });
    if (!added) throw new ValidationError({ day: C.dayTaken });
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'calendar_day.added',
      subject: input.day,
      details: { kind: input.kind, name: input.name },
    });
  });
  return input.day;
}

export async function removeCalendarDay(
  ctx: AppContext,
  admin: CurrentAccount,
  day: string,
): Promise<void> {
  if (!isIsoDate(day)) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    await keepYear(ctx, tx, Number(day.slice(0, 4)));
    if (!(await repo.deleteCalendarDay(tx, day))) throw new NotFoundError();
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'calendar_day.removed',
      subject: day,
    });
  });
}

/**
 * Confirms `year`'s schedule as the official one (as it stands, after any corrections): from now
 * on due dates in that year are no longer provisional. Dates already promised do not move.
 */
export async function confirmCalendarYear(
  ctx: AppContext,
  admin: CurrentAccount,
  year: number,
): Promise<void> {
  checkYear(year);
  await changeMasterData(ctx, async (tx) => {
    await keepYear(ctx, tx, year);
    await repo.upsertCalendarYear(tx, year, 'official', ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'calendar_year.confirmed',
      subject: String(year),
    });
  });
}

/** Switches the pending 24/11 holiday on or off for the projected years. */
export async function setCultureDay(
  ctx: AppContext,
  admin: CurrentAccount,
  enabled: boolean,
): Promise<void> {
  await changeMasterData(ctx, async (tx) => {
    await repo.upsertCalendarRule(tx, CULTURE_DAY_RULE, enabled, ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'calendar_rule.changed',
      subject: CULTURE_DAY_RULE,
      details: { enabled },
    });
  });
}

/**
 * From 1 October, the year whose schedule administrators should confirm (next year), while it is
 * still provisional; null otherwise.
 */
export async function pendingScheduleYear(ctx: AppContext): Promise<number | null> {
  const today = localDateOf(ctx.clock.now());
  if (today.slice(5) < '10-01') return null;
  const next = Number(today.slice(0, 4)) + 1;
  return (await ctx.masterData.calendar()).isProvisionalYear(next) ? next : null;
}
