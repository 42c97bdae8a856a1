import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import {
  addWorkingMinutes,
  formatWorkingHours,
  parseWorkingHours,
  publishedHours,
  publishedHoursOf,
} from '../../../src/calendar/working-hours.js';
import { hallOpenAt, slotStarts } from '../../../src/queue/queue-rules.js';
import { plannedMinutes, resolveStepPlan } from '../../../src/procedures/step-plan.js';
import { CALENDAR } from '../../../seeds/calendar.js';
import { OFFICES } from '../../../seeds/offices.js';

// Issue 28, item 7: one source of working hours. The published text is rendered from the office's
// working hours; slots, the kiosk and step deadlines read the same hours.
const calendar = new WorkingCalendar(CALENDAR);
const vn = (local: string) => new Date(`${local}+07:00`);
const hours = parseWorkingHours('07:30-11:30,13:30-17:00')!;

describe('the published hours', () => {
  it('are rendered from the working hours and the calendar’s working week', () => {
    expect(publishedHours(hours)).toBe('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
    expect(publishedHoursOf({ working_hours: '08:00-12:00' })).toBe(
      'Thứ Hai – Thứ Sáu: 08:00–12:00',
    );
    // No readable hours: the default, never an empty line.
    expect(publishedHoursOf({ working_hours: '' })).toBe(
      'Thứ Hai – Thứ Sáu: 07:00–11:30, 13:30–17:00',
    );
  });

  it('name runs of weekdays, Monday first', () => {
    expect(publishedHours(hours, [1, 2, 3, 4, 5, 6])).toMatch(/^Thứ Hai – Thứ Bảy: /);
    expect(publishedHours(hours, [1, 3])).toMatch(/^Thứ Hai, Thứ Tư: /);
    expect(publishedHours(hours, [1, 2, 4, 5])).toMatch(/^Thứ Hai, Thứ Ba, Thứ Năm, Thứ Sáu: /);
    expect(publishedHours(hours, [6, 0])).toMatch(/^Thứ Bảy, Chủ Nhật: /);
  });

  it('state exactly the working periods, whatever they are (read back, they are the same)', () => {
    const period = fc
      .tuple(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 1, max: 240 }))
      .map(([start, len]) => ({ start, end: Math.min(start + len, 23 * 60 + 59) }));
    fc.assert(
      fc.property(fc.array(period, { minLength: 1, maxLength: 4 }), (raw) => {
        const sorted = [...raw].sort((a, b) => a.start - b.start);
        const periods = sorted.filter(
          (p, i) => p.end > p.start && (i === 0 || p.start >= sorted[i - 1]!.end),
        );
        fc.pre(
          periods.length > 0 && periods.every((p, i) => i === 0 || p.start >= periods[i - 1]!.end),
        );
        const text = publishedHours(periods);
        const readBack = text
          .slice(text.indexOf(': ') + 2)
          .replace(/–/g, '-')
          .replace(/, /g, ',');
        expect(parseWorkingHours(readBack)).toEqual(periods);
        expect(readBack).toBe(formatWorkingHours(periods));
      }),
    );
  });

  it('of every demo office start at 07:30, as the demo has always published', () => {
    for (const office of OFFICES)
      expect(publishedHoursOf({ working_hours: office.workingHours })).toBe(
        'Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00',
      );
  });
});

describe('slots, the kiosk and step deadlines follow the same hours', () => {
  it('the first slot is the opening, the last ends at closing, none at lunch', () => {
    const slots = slotStarts(hours, 30);
    expect(slots[0]).toBe('07:30');
    expect(slots).not.toContain('07:00');
    expect(slots).not.toContain('12:00');
    expect(slots.at(-1)).toBe('16:30');
  });

  it('the kiosk opens an hour before the opening and closes at closing', () => {
    expect(hallOpenAt(hours, true, '06:29')).toBe(false);
    expect(hallOpenAt(hours, true, '06:30')).toBe(true);
    expect(hallOpenAt(hours, true, '16:59')).toBe(true);
    expect(hallOpenAt(hours, true, '17:00')).toBe(false);
  });

  it('a reception step opened at 19:33 falls due counted from the next morning’s opening', () => {
    // A one-day procedure (8 working hours): reception has 45 minutes of it.
    const reception = plannedMinutes(resolveStepPlan([], 1), 'reception')!;
    expect(reception).toBe(45);
    // Tuesday 19:33 → Wednesday 07:30 + 45 min = 08:15 (not 07:45, counted from 07:00).
    const due = addWorkingMinutes(calendar, hours, vn('2026-12-01T19:33:00'), reception);
    expect(due.at).toEqual(vn('2026-12-02T08:15:00'));
    expect(due.counted[0]).toMatchObject({ day: '2026-12-02', from: 7 * 60 + 30 });
    // Friday evening: Monday's opening.
    const friday = addWorkingMinutes(calendar, hours, vn('2026-12-04T19:33:00'), reception);
    expect(friday.at).toEqual(vn('2026-12-07T08:15:00'));
  });
});
