import { projectHolidays } from '../src/calendar/holiday-projection.js';

/**
 * The civil-servant holiday and make-up-day schedule 2024–2026 (docs/DOMAIN.md §4), official.
 * Every day off is listed, weekend days inside a holiday block included, so a slip can name the
 * holiday that a skipped day belonged to. 2020–2023 are seeded as the provisional projection of
 * the Labour Code's rule (imported history gets its holidays; an administrator may correct and
 * confirm them). Later years are projected by the app until their schedule is confirmed.
 */
export interface CalendarSeed {
  day: string;
  kind: 'holiday' | 'make_up_workday';
  name: string;
}

function range(from: string, to: string, name: string): CalendarSeed[] {
  const days: CalendarSeed[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    days.push({ day: d.toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return days;
}

const NEW_YEAR = 'Tết Dương lịch';
const LUNAR_NEW_YEAR = 'Tết Nguyên đán';
const HUNG_KINGS = 'Giỗ Tổ Hùng Vương';
const REUNIFICATION = 'Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5';
const NATIONAL_DAY = 'Quốc khánh 2/9';

export const CALENDAR: CalendarSeed[] = [
  // 2024
  ...range('2024-01-01', '2024-01-01', NEW_YEAR),
  ...range('2024-02-08', '2024-02-14', LUNAR_NEW_YEAR),
  ...range('2024-04-18', '2024-04-18', HUNG_KINGS),
  ...range('2024-04-27', '2024-05-01', REUNIFICATION),
  { day: '2024-05-04', kind: 'make_up_workday', name: 'Làm bù cho ngày nghỉ 29/4/2024' },
  ...range('2024-08-31', '2024-09-03', NATIONAL_DAY),
  // 2025
  ...range('2025-01-01', '2025-01-01', NEW_YEAR),
  ...range('2025-01-25', '2025-02-02', LUNAR_NEW_YEAR),
  ...range('2025-04-07', '2025-04-07', HUNG_KINGS),
  ...range('2025-04-30', '2025-05-04', REUNIFICATION),
  { day: '2025-04-26', kind: 'make_up_workday', name: 'Làm bù cho ngày nghỉ 02/5/2025' },
  ...range('2025-08-30', '2025-09-02', NATIONAL_DAY),
  // 2026
  ...range('2026-01-01', '2026-01-04', NEW_YEAR),
  { day: '2026-01-10', kind: 'make_up_workday', name: 'Làm bù cho ngày nghỉ 02/01/2026' },
  ...range('2026-02-14', '2026-02-22', LUNAR_NEW_YEAR),
  ...range('2026-04-26', '2026-04-26', HUNG_KINGS),
  ...range('2026-04-27', '2026-04-27', `${HUNG_KINGS} (nghỉ bù)`),
  ...range('2026-04-30', '2026-05-01', REUNIFICATION),
  ...range('2026-08-29', '2026-09-02', NATIONAL_DAY),
  { day: '2026-08-22', kind: 'make_up_workday', name: 'Làm bù cho ngày nghỉ 31/8/2026' },
];

export const OFFICIAL_YEARS = [2024, 2025, 2026];
export const PROVISIONAL_YEARS = [2020, 2021, 2022, 2023];

export function seededCalendarYears(): {
  year: number;
  status: 'official' | 'provisional';
  days: CalendarSeed[];
}[] {
  return [
    ...PROVISIONAL_YEARS.map((year) => ({
      year,
      status: 'provisional' as const,
      days: projectHolidays(year, { cultureDay: false }),
    })),
    ...OFFICIAL_YEARS.map((year) => ({
      year,
      status: 'official' as const,
      days: CALENDAR.filter((d) => d.day.startsWith(`${year}-`)),
    })),
  ];
}
