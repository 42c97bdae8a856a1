import { addDays, dayOfWeek, instantAtLocal, localDateOf, localTimeOf } from '../lib/vietnam-time.js';

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
}

/** No procedure takes anywhere near this long; a guard against a calendar with no working days. */
const MAX_SCAN_DAYS = 3660;

export class WorkingCalendar {
  readonly #entries: Map<string, CalendarEntry>;

  constructor(entries: Iterable<CalendarEntry>) {
    this.#entries = new Map([...entries].map((e) => [e.day, e]));
  }

  /** The entries exactly as given, to snapshot with a dossier. */
  entries(): CalendarEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.day.localeCompare(b.day));
  }

  describe(day: string): DayInfo {
    const entry = this.#entries.get(day);
    if (entry?.kind === 'holiday') return { day, kind: 'holiday', name: entry.name };
    if (entry?.kind === 'make_up_workday') return { day, kind: 'make_up_workday', name: entry.name };
    const dow = dayOfWeek(day);
    return { day, kind: dow === 0 || dow === 6 ? 'weekend' : 'workday' };
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
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
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
    const sameDay = calendar.isWorkingDay(receivedOn) && localTimeOf(receivedAt) < rules.sameDayCutoffTime;
    if (sameDay) {
      return {
        receivedOn,
        processingDays,
        dueOn: receivedOn,
        dueAt: instantAtLocal(receivedOn, rules.closingTime),
        countedDays: [],
        skippedDays: [],
        movedToNextWorkingDay: false,
      };
    }
    const { last, counted, skipped } = calendar.walk(receivedOn, 1);
    return { receivedOn, processingDays, dueOn: last, dueAt: instantAtLocal(last, rules.closingTime), countedDays: counted, skippedDays: skipped, movedToNextWorkingDay: true };
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
  };
}

/** Working days between two instants, by their local days: days after `from`'s up to `to`'s. */
export function workingDaysBetweenInstants(calendar: WorkingCalendar, from: Date, to: Date): number {
  return calendar.workingDaysBetween(localDateOf(from), localDateOf(to));
}
