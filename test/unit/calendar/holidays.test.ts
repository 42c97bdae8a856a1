import { describe, expect, it } from 'vitest';
import { projectHolidays } from '../../../src/calendar/holiday-projection.js';
import { lunarNewYear, lunarToSolar } from '../../../src/calendar/lunar.js';
import { computeDueDate, WorkingCalendar } from '../../../src/calendar/working-days.js';
import { serializeDue } from '../../../src/dossiers/record/due-explanation.js';
import { OFFICIAL_YEARS, seededCalendarYears } from '../../../seeds/calendar.js';

describe('the Vietnamese lunar calendar (UTC+7)', () => {
  it.each([
    [2020, '2020-01-25'],
    [2021, '2021-02-12'],
    [2022, '2022-02-01'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
    [2007, '2007-02-17'],
    [1985, '1985-01-21'],
  ])('puts Tết %i on %s', (year, day) => {
    expect(lunarNewYear(year)).toBe(day);
  });

  it('differs from the Chinese calendar (UTC+8) where the new moon falls between 23:00 and midnight in Hà Nội', () => {
    // 2007: the new moon of 17 February at 16:14 UT is 23:14 in Hà Nội, 00:14 on the 18th in Beijing.
    expect([lunarNewYear(2007), lunarNewYear(2007, 8)]).toEqual(['2007-02-17', '2007-02-18']);
    // 1985: a whole month apart (the leap month falls differently).
    expect([lunarNewYear(1985), lunarNewYear(1985, 8)]).toEqual(['1985-01-21', '1985-02-20']);
    // 2030: the new moon of 2 February at 16:07 UT is 23:07 in Hà Nội. Lists that give 3 February
    // for Tết 2030 are the Chinese date; Vietnam's is the 2nd.
    expect([lunarNewYear(2030), lunarNewYear(2030, 8)]).toEqual(['2030-02-02', '2030-02-03']);
  });

  it('finds Giỗ Tổ (10/3 lunar) as the official schedules had it', () => {
    expect(lunarToSolar(10, 3, 2024)).toBe('2024-04-18');
    expect(lunarToSolar(10, 3, 2025)).toBe('2025-04-07');
    expect(lunarToSolar(10, 3, 2026)).toBe('2026-04-26');
  });
});

describe('statutory holidays projected for a year without a schedule', () => {
  const days = (year: number, cultureDay = false) =>
    projectHolidays(year, { cultureDay }).map((d) => `${d.day} ${d.name}`);

  it('projects 2027 with the weekend shifts', () => {
    expect(days(2027)).toEqual([
      '2027-01-01 Tết Dương lịch', // Friday
      '2027-02-05 Tết Nguyên đán', // the last day of the lunar year
      '2027-02-06 Tết Nguyên đán', // Saturday 6/2: mùng 1
      '2027-02-07 Tết Nguyên đán',
      '2027-02-08 Tết Nguyên đán',
      '2027-02-09 Tết Nguyên đán',
      '2027-02-10 Tết Nguyên đán (nghỉ bù)', // for Saturday 6/2
      '2027-02-11 Tết Nguyên đán (nghỉ bù)', // for Sunday 7/2
      '2027-04-16 Giỗ Tổ Hùng Vương', // 10/3 lunar, a Friday
      '2027-04-30 Ngày Chiến thắng 30/4',
      '2027-05-01 Quốc tế Lao động 1/5', // Saturday
      '2027-05-03 Quốc tế Lao động 1/5 (nghỉ bù)', // Monday
      '2027-09-01 Quốc khánh 2/9', // the day before
      '2027-09-02 Quốc khánh 2/9',
    ]);
  });

  it('takes the day after 2/9 when the day before is a Sunday, and adds 24/11 once switched on', () => {
    // 2/9/2024 was a Monday: the extra day is Tuesday 3/9, as the official schedule had it.
    expect(days(2024).filter((d) => d.includes('Quốc khánh'))).toEqual([
      '2024-09-02 Quốc khánh 2/9',
      '2024-09-03 Quốc khánh 2/9',
    ]);
    expect(days(2027, true)).toContain('2027-11-24 Ngày Văn hóa Việt Nam 24/11');
    expect(days(2027)).not.toContain('2027-11-24 Ngày Văn hóa Việt Nam 24/11');
  });

  it('chains days in lieu past other holidays (2023: Giỗ Tổ on Saturday 29/4, then 30/4 and 1/5)', () => {
    expect(days(2023).filter((d) => d.startsWith('2023-04') || d.startsWith('2023-05'))).toEqual([
      '2023-04-29 Giỗ Tổ Hùng Vương',
      '2023-04-30 Ngày Chiến thắng 30/4',
      '2023-05-01 Quốc tế Lao động 1/5',
      '2023-05-02 Giỗ Tổ Hùng Vương (nghỉ bù)',
      '2023-05-03 Ngày Chiến thắng 30/4 (nghỉ bù)',
    ]);
  });
});

describe('due dates on a calendar with provisional years', () => {
  const seeded = seededCalendarYears();
  const kept = new Map(seeded.map((y) => [y.year, y.status]));
  const calendar = new WorkingCalendar(
    seeded.flatMap((y) => y.days),
    { kept, project: (year) => projectHolidays(year, { cultureDay: false }) },
  );
  const rules = { closingTime: '17:00', sameDayCutoffTime: '15:00' };

  it('counts a dossier received in December 2026 across the projected 2027 Tết and says so', () => {
    // Thursday 28/01/2027, 10 working days: 29/01, 1–4/02, (5–11/02 Tết and days in lieu), 12, 15, 16, 17, 18/02.
    const due = computeDueDate(calendar, new Date('2027-01-28T03:00:00Z'), 10, rules);
    expect(due.dueOn).toBe('2027-02-18');
    expect(due.provisional).toBe(true);
    expect(serializeDue(due).provisional).toBe(true);
    expect(due.skippedDays.filter((d) => d.kind === 'holiday').map((d) => d.day)).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
    ]);
  });

  it('is not provisional inside an official year', () => {
    const due = computeDueDate(calendar, new Date('2026-03-10T02:00:00Z'), 7, rules);
    expect(due.provisional).toBe(false);
    expect(serializeDue(due).provisional).toBeUndefined();
    expect(OFFICIAL_YEARS).toContain(2026);
  });

  it('gives imported 2023 history its holidays (was: none, 30/01/2023 for a 7-day procedure received 19/01)', () => {
    const due = computeDueDate(calendar, new Date('2023-01-19T02:00:00Z'), 7, rules);
    expect(due.dueOn).toBe('2023-02-06');
    expect(due.provisional).toBe(true);
  });
});
