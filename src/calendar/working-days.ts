import {
  addDays,
  dayOfWeek,
  instantAtLocal,
  localDateOf,
  localTimeOf,
} from '../lib/vietnam-time.js';

/**
 * Working-day arithmetic for Vietnamese public offices (docs/DOMAIN.md §4). Pure:
 * no I/O and no clock; days are local (UTC+7) `YYYY-MM-DD` strings.
 *
 * A working day is Monday–Friday, plus announced make-up Saturdays, minus public holidays.
 */
export interface CalendarEntry {
  day: string;
  kind: 'holiday' | 'make_up_workday';
  name: string;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make_up_workday';

export interface DayInfo {
  day: string;
  kind: DayKind;
  /** The holiday's or make-up day's name, for explanations. */
  name?: string;
  /** The day's year has no confirmed schedule: it is counted by the projected holidays. */
  provisional?: true;
}

/** How years without a confirmed schedule are counted. */
export interface CalendarYears {
  /** Years whose schedule is in `entries`: confirmed ("official"), or still provisional. */
  kept: Map<number, 'official' | 'provisional'>;
  /** The projected holidays of any other year (pure; see holiday-projection.ts). */
  project: (year: number) => CalendarEntry[];
}

/**
 * The days of the week an office works (0 Sunday … 6 Saturday): Monday–Friday. Holidays take days
 * out, announced make-up Saturdays add them; the published hours name this week.
 */
export const WEEKLY_WORKING_DAYS: readonly number[] = [1, 2, 3, 4, 5];

/** No procedure takes anywhere near this long; a guard against a calendar with no working days. */
const MAX_SCAN_DAYS = 3660;

export class WorkingCalendar {
  readonly #entries: Map<string, CalendarEntry>;
  readonly #years: CalendarYears | null;
  readonly #projected = new Map<number, Map<string, CalendarEntry>>();

  /**
   * `entries`: the kept schedule. Without `years`, every other day is an ordinary weekday or
   * weekend; with it, a year that is not kept is counted by its projected holidays, provisional.
   */
  constructor(entries: Iterable<CalendarEntry>, years: CalendarYears | null = null) {
    this.#entries = new Map([...entries].map((e) => [e.day, e]));
    this.#years = years;
  }

  /** Whether days of `year` are counted by a provisional schedule (projected or not confirmed). */
  isProvisionalYear(year: number): boolean {
    if (!this.#years) return false;
    return this.#years.kept.get(year) !== 'official';
  }

  /** The special days of `year` this calendar counts with, and whether they are provisional. */
  specialDays(year: number): { days: CalendarEntry[]; provisional: boolean } {
    const prefix = `${year}-`;
    const source =
      this.#years && !this.#years.kept.has(year) ? this.#projectedYear(year) : this.#entries;
    const days = [...source.values()]
      .filter((e) => e.day.startsWith(prefix))
      .sort((a, b) => a.day.localeCompare(b.day));
    return { days, provisional: this.isProvisionalYear(year) };
  }

  #projectedYear(year: number): Map<string, CalendarEntry> {
    let days = this.#projected.get(year);
    if (!days) {
      days = new Map(this.#years!.project(year).map((e) => [e.day, e]));
      this.#projected.set(year, days);
    }
    return days;
  }

  /** The entries exactly as given, to snapshot with a dossier. */
  entries(): CalendarEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.day.localeCompare(b.day));
  }

  describe(day: string): DayInfo {
    const year = Number(day.slice(0, 4));
    const projected = this.#years !== null && !this.#years.kept.has(year);
    const entry = projected ? this.#projectedYear(year).get(day) : this.#entries.get(day);
    const mark = this.isProvisionalYear(year) ? { provisional: true as const } : {};
    if (entry?.kind === 'holiday') return { day, kind: 'holiday', name: entry.name, ...mark };
    if (entry?.kind === 'make_up_workday')
      return { day, kind: 'make_up_workday', name: entry.name, ...mark };
    const kind = WEEKLY_WORKING_DAYS.includes(dayOfWeek(day)) ? 'workday' : 'weekend';
    return { day, kind, ...mark };
  }

  isWorkingDay(day: string): boolean {
    const kind = this.describe(day).kind;
    return kind === 'workday' || kind === 'make_up_workday';
  }

  /** The first working day strictly after `day`. */
  nextWorkingDay(day: string): string {
    return this.addWorkingDays(day, 1);
  }

  /** The n-th working day strictly after `day` (n ≥ 1); `day` itself for n = 0. */
  addWorkingDays(day: string, n: number): string {
    return this.walk(day, n).last;
  }

  /** Working days in the half-open range (from, to]: days after `from` up to and including `to`. */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  /** Walks n working days after `day`, recording the days counted and those passed over. */
  walk(day: string, n: number): { last: string; counted: DayInfo[]; skipped: DayInfo[] } {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    const counted: DayInfo[] = [];
    const skipped: DayInfo[] = [];
    let current = day;
    let scanned = 0;
    while (counted.length < n) {
      current = addDays(current, 1);
      if (++scanned > MAX_SCAN_DAYS) throw new RangeError('the calendar has no working days ahead');
      const info = this.describe(current);
      if (info.kind === 'workday' || info.kind === 'make_up_workday') counted.push(info);
      else skipped.push(info);
    }
    return { last: current, counted, skipped };
  }
}

export interface DueDateRules {
  /** Local time at which results are due, `HH:MM` (default 17:00). */
  closingTime: string;
  /** Same-day procedures received after this local time are due the next working day. */
  sameDayCutoffTime: string;
}

export interface DueDate {
  receivedOn: string;
  processingDays: number;
  dueOn: string;
  dueAt: Date;
  /** Working days counted toward the time limit, in order (make-up Saturdays marked). */
  countedDays: DayInfo[];
  /** Weekends and holidays passed over while counting. */
  skippedDays: DayInfo[];
  /** A same-day procedure received after the cut-off or on a non-working day. */
  movedToNextWorkingDay: boolean;
  /** The cut-off that applied when the date moved (`HH:MM`), for the explanation. */
  cutoffTime?: string;
  /** A day the count relied on belongs to a year without a confirmed schedule. */
  provisional: boolean;
}

/**
 * When the result of a procedure with `processingDays` working days is due, for a complete
 * dossier accepted at `receivedAt`. The receipt day is not counted; the result is due at closing
 * time on the last counted day. A 0-day ("immediate") procedure is due the same day at closing
 * time, unless it was received after the cut-off or on a non-working day (e.g. a Saturday
 * morning reception): then the next working day.
 */
export function computeDueDate(
  calendar: WorkingCalendar,
  receivedAt: Date,
  processingDays: number,
  rules: DueDateRules,
): DueDate {
  const receivedOn = localDateOf(receivedAt);
  if (processingDays === 0) {
    const sameDay =
      calendar.isWorkingDay(receivedOn) && localTimeOf(receivedAt) < rules.sameDayCutoffTime;
    if (sameDay) {
      return {
        receivedOn,
        processingDays,
        dueOn: receivedOn,
        dueAt: instantAtLocal(receivedOn, rules.closingTime),
        countedDays: [],
        skippedDays: [],
        movedToNextWorkingDay: false,
        provisional: calendar.describe(receivedOn).provisional === true,
      };
    }
    const { last, counted, skipped } = calendar.walk(receivedOn, 1);
    return {
      receivedOn,
      processingDays,
      dueOn: last,
      dueAt: instantAtLocal(last, rules.closingTime),
      countedDays: counted,
      skippedDays: skipped,
      movedToNextWorkingDay: true,
      cutoffTime: rules.sameDayCutoffTime,
      provisional: touchesProvisional(calendar, receivedOn, counted, skipped),
    };
  }
  const { last, counted, skipped } = calendar.walk(receivedOn, processingDays);
  return {
    receivedOn,
    processingDays,
    dueOn: last,
    dueAt: instantAtLocal(last, rules.closingTime),
    countedDays: counted,
    skippedDays: skipped,
    movedToNextWorkingDay: false,
    provisional: touchesProvisional(calendar, receivedOn, counted, skipped),
  };
}

function touchesProvisional(
  calendar: WorkingCalendar,
  receivedOn: string,
  counted: DayInfo[],
  skipped: DayInfo[],
): boolean {
  return (
    calendar.describe(receivedOn).provisional === true ||
    counted.some((d) => d.provisional) ||
    skipped.some((d) => d.provisional)
  );
}

/** Working days between two instants, by their local days: days after `from`'s up to `to`'s. */
export function workingDaysBetweenInstants(
  calendar: WorkingCalendar,
  from: Date,
  to: Date,
): number {
  return calendar.workingDaysBetween(localDateOf(from), localDateOf(to));
}
