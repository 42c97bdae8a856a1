import { addDays, localDateOf, VIETNAM_OFFSET_MINUTES } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { WEEKLY_WORKING_DAYS, type DayInfo, type WorkingCalendar } from './working-days.js';

/**
 * Working time inside working days (docs/DOMAIN.md §1.4): a working day is the office's working
 * periods, e.g. 07:00–11:30 and 13:30–17:00 (8 hours). Step deadlines are counted in these
 * minutes: lunch, evenings, weekends and holidays pass without counting; make-up Saturdays count.
 * Pure: the calendar and the instants are given.
 */
export interface WorkingPeriod {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

export type WorkingHours = readonly WorkingPeriod[];

export const DEFAULT_WORKING_HOURS_TEXT = '07:00-11:30,13:30-17:00';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Reads `07:00-11:30,13:30-17:00`; null when a period is malformed, empty, reversed or overlaps. */
export function parseWorkingHours(text: string): WorkingHours | null {
  const periods: WorkingPeriod[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to, extra] = part.split('-').map((p) => p.trim());
    const a = from ? TIME.exec(from) : null;
    const b = to ? TIME.exec(to) : null;
    if (!a || !b || extra !== undefined) return null;
    const start = Number(a[1]) * 60 + Number(a[2]);
    const end = Number(b[1]) * 60 + Number(b[2]);
    if (end <= start) return null;
    if (periods.length && start < periods[periods.length - 1]!.end) return null;
    periods.push({ start, end });
  }
  return periods.length ? periods : null;
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function formatWorkingHours(hours: WorkingHours): string {
  return hours.map((p) => `${hhmm(p.start)}-${hhmm(p.end)}`).join(',');
}

export function minutesPerWorkingDay(hours: WorkingHours): number {
  return hours.reduce((sum, p) => sum + p.end - p.start, 0);
}

/** Minutes after local midnight of an instant, and its local day. */
function localMinute(instant: Date): { day: string; minute: number } {
  const local = instant.getTime() + VIETNAM_OFFSET_MINUTES * 60_000;
  return { day: localDateOf(instant), minute: Math.floor((local % 86_400_000) / 60_000) };
}

function instantOf(day: string, minute: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + (minute - VIETNAM_OFFSET_MINUTES) * 60_000);
}

/** A stretch of working time counted toward a deadline: one period (or part of one) of one day. */
export interface CountedStretch {
  day: string;
  from: number;
  to: number;
  makeUpDay?: true;
}

export interface WorkingDeadline {
  at: Date;
  counted: CountedStretch[];
  /** Days passed over entirely (weekends, holidays). */
  skipped: DayInfo[];
}

/** No step takes anywhere near this long; a guard against a calendar with no working days. */
const MAX_SCAN_DAYS = 3660;

/**
 * The instant when `minutes` of working time have passed after `start`. Time outside the
 * periods does not count; a deadline that falls exactly at the end of a period is that end
 * (11:30, not 13:30). Zero minutes: `start` itself.
 */
export function addWorkingMinutes(
  calendar: WorkingCalendar,
  hours: WorkingHours,
  start: Date,
  minutes: number,
): WorkingDeadline {
  if (!Number.isInteger(minutes) || minutes < 0)
    throw new RangeError(`working minutes must be a whole number ≥ 0, got ${minutes}`);
  const counted: CountedStretch[] = [];
  const skipped: DayInfo[] = [];
  if (minutes === 0) return { at: start, counted, skipped };
  let { day, minute } = localMinute(start);
  let remaining = minutes;
  for (let scanned = 0; scanned <= MAX_SCAN_DAYS; scanned++) {
    const info = calendar.describe(day);
    if (info.kind === 'workday' || info.kind === 'make_up_workday') {
      for (const period of hours) {
        const from = Math.max(period.start, minute);
        if (from >= period.end) continue;
        const take = Math.min(remaining, period.end - from);
        counted.push({
          day,
          from,
          to: from + take,
          ...(info.kind === 'make_up_workday' ? { makeUpDay: true as const } : {}),
        });
        remaining -= take;
        if (remaining === 0) return { at: instantOf(day, from + take), counted, skipped };
      }
    } else {
      skipped.push(info);
    }
    day = addDays(day, 1);
    minute = 0;
  }
  throw new RangeError('the calendar has no working time ahead');
}

/** Working minutes in [from, to); 0 when `to` is not after `from`. */
export function workingMinutesBetween(
  calendar: WorkingCalendar,
  hours: WorkingHours,
  from: Date,
  to: Date,
): number {
  if (to.getTime() <= from.getTime()) return 0;
  const a = localMinute(from);
  const b = localMinute(to);
  let total = 0;
  for (
    let day = a.day, scanned = 0;
    day <= b.day && scanned <= MAX_SCAN_DAYS;
    day = addDays(day, 1), scanned++
  ) {
    if (!calendar.isWorkingDay(day)) continue;
    const lower = day === a.day ? a.minute : 0;
    const upper = day === b.day ? b.minute : 24 * 60;
    for (const p of hours) total += Math.max(0, Math.min(p.end, upper) - Math.max(p.start, lower));
  }
  return total;
}

/** An office's working hours, or the default where none (or none readable) is set. */
export function workingHoursOf(office: { working_hours: string } | undefined): WorkingHours {
  return (
    parseWorkingHours(office?.working_hours ?? '') ?? parseWorkingHours(DEFAULT_WORKING_HOURS_TEXT)!
  );
}

/** Runs of consecutive weekdays, Monday first: [1..5] → "Thứ Hai – Thứ Sáu". */
function weekdaysText(days: readonly number[]): string {
  const H = vi.hours;
  const order = [...new Set(days)].map((d) => (d + 6) % 7).sort((a, b) => a - b); // Monday = 0
  const runs: [number, number][] = [];
  for (const d of order) {
    const last = runs[runs.length - 1];
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  const name = (d: number) => H.weekday[(d + 1) % 7]!;
  return runs
    .map(([a, b]) =>
      a === b ? name(a) : b === a + 1 ? `${name(a)}, ${name(b)}` : `${name(a)} – ${name(b)}`,
    )
    .join(', ');
}

/**
 * The hours an office publishes, rendered from its working hours and the calendar's working week
 * (item 7 of issue 28: one source), e.g. "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00".
 */
export function publishedHours(
  hours: WorkingHours,
  weekdays: readonly number[] = WEEKLY_WORKING_DAYS,
): string {
  const periods = hours.map((p) => `${hhmm(p.start)}–${hhmm(p.end)}`).join(', ');
  return vi.hours.published(weekdaysText(weekdays), periods);
}

/** An office's published hours (its working hours, or the default where none is set). */
export const publishedHoursOf = (office: { working_hours: string } | undefined): string =>
  publishedHours(workingHoursOf(office));
