import { addDays, dayOfWeek } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { lunarNewYear, lunarToSolar } from './lunar.js';
import type { CalendarEntry } from './working-days.js';

/**
 * A year's public holidays as the Labour Code fixes them (Bộ luật Lao động 2019, Art. 112;
 * docs/DOMAIN.md §4), before the Government announces the year's schedule: what the app counts
 * with, marked provisional, for any year that has no confirmed schedule. Pure.
 *
 * - 1/1; Tết Âm lịch: the last day of the lunar year and the first four days of the new one (the
 *   Prime Minister may choose other days; the announced schedule then replaces these); Giỗ Tổ
 *   Hùng Vương (10/3 lunar); 30/4; 1/5; Quốc khánh 2/9 and the day before (the day after when
 *   2/9 is a Sunday or a Monday, so that the extra day is a working day); 24/11 once the
 *   installation switches on the pending Ngày Văn hóa Việt Nam.
 * - A holiday on a Saturday or Sunday gives the next working day off that is not a holiday.
 */
export interface ProjectionRules {
  /** Ngày Văn hóa Việt Nam, 24/11: pending law, switched on by an administrator. */
  cultureDay: boolean;
}

const H = vi.calendar.holidays;

function statutoryDays(year: number, rules: ProjectionRules): CalendarEntry[] {
  const y = String(year);
  const tet = lunarNewYear(year);
  const nationalDay = `${y}-09-02`;
  const extraNationalDay =
    dayOfWeek(nationalDay) === 0 || dayOfWeek(nationalDay) === 1
      ? addDays(nationalDay, 1)
      : addDays(nationalDay, -1);
  const days: CalendarEntry[] = [
    { day: `${y}-01-01`, kind: 'holiday', name: H.newYear },
    ...[-1, 0, 1, 2, 3].map((offset) => ({
      day: addDays(tet, offset),
      kind: 'holiday' as const,
      name: H.lunarNewYear,
    })),
    { day: lunarToSolar(10, 3, year), kind: 'holiday', name: H.hungKings },
    { day: `${y}-04-30`, kind: 'holiday', name: H.reunification },
    { day: `${y}-05-01`, kind: 'holiday', name: H.labour },
    { day: extraNationalDay, kind: 'holiday', name: H.nationalDay },
    { day: nationalDay, kind: 'holiday', name: H.nationalDay },
  ];
  if (rules.cultureDay) days.push({ day: `${y}-11-24`, kind: 'holiday', name: H.cultureDay });
  return days.sort((a, b) => a.day.localeCompare(b.day));
}

const isWeekend = (day: string) => dayOfWeek(day) === 0 || dayOfWeek(day) === 6;

/** The provisional holidays of `year`, weekend holidays given their day off in lieu. */
export function projectHolidays(year: number, rules: ProjectionRules): CalendarEntry[] {
  const days = statutoryDays(year, rules);
  const taken = new Set(days.map((d) => d.day));
  const inLieu: CalendarEntry[] = [];
  for (const holiday of days) {
    if (!isWeekend(holiday.day)) continue;
    let next = addDays(holiday.day, 1);
    while (isWeekend(next) || taken.has(next)) next = addDays(next, 1);
    taken.add(next);
    inLieu.push({ day: next, kind: 'holiday', name: H.inLieu(holiday.name) });
  }
  return [...days, ...inLieu].sort((a, b) => a.day.localeCompare(b.day));
}
