import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeDueDate,
  WorkingCalendar,
  workingDaysBetweenInstants,
} from '../../../src/calendar/working-days.js';
import { CALENDAR } from '../../../seeds/calendar.js';

const calendar = new WorkingCalendar(CALENDAR);
const rules = { closingTime: '17:00', sameDayCutoffTime: '15:00' };

/** Local wall-clock time in Vietnam as a Date. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe('computeDueDate on real 2025/2026 dates', () => {
  it.each([
    // [label, received (local), days, due (local)]
    [
      '7 WD from Fri 24 Jan 2025 across Tết (25 Jan–2 Feb)',
      '2025-01-24T10:00',
      7,
      '2025-02-11T17:00',
    ],
    [
      '3 WD from Thu 24 Apr 2025 counts make-up Sat 26 Apr',
      '2025-04-24T09:00',
      3,
      '2025-04-28T17:00',
    ],
    ['3 WD from Wed 29 Apr 2026 16:00 across 30/4–1/5', '2026-04-29T16:00', 3, '2026-05-06T17:00'],
    [
      '7 WD received Mon 5 May 2025, the first day after the break',
      '2025-05-05T08:00',
      7,
      '2025-05-14T17:00',
    ],
    [
      '2 WD from Fri 9 Jan 2026 counts make-up Sat 10 Jan',
      '2026-01-09T10:00',
      2,
      '2026-01-12T17:00',
    ],
    ['5 WD from Fri 13 Feb 2026 across Tết 2026', '2026-02-13T10:00', 5, '2026-02-27T17:00'],
    [
      '1 WD from Fri 24 Apr 2026 skips Giỗ Tổ (Mon 27 Apr)',
      '2026-04-24T10:00',
      1,
      '2026-04-28T17:00',
    ],
    [
      '3 WD from Thu 20 Aug 2026 counts make-up Sat 22 Aug',
      '2026-08-20T10:00',
      3,
      '2026-08-24T17:00',
    ],
    [
      '2 WD from Fri 28 Aug 2026 skips Quốc khánh 29 Aug–2 Sep',
      '2026-08-28T10:00',
      2,
      '2026-09-04T17:00',
    ],
    ['3 WD received on a Saturday morning', '2026-03-14T09:00', 3, '2026-03-18T17:00'],
  ])('%s', (_label, received, days, due) => {
    const result = computeDueDate(calendar, vn(received), days, rules);
    expect(result.dueAt.toISOString()).toBe(vn(due).toISOString());
    expect(result.countedDays).toHaveLength(days);
  });

  it('explains the 7-day Tết case: the days counted and the Tết days passed over', () => {
    const result = computeDueDate(calendar, vn('2025-01-24T10:00'), 7, rules);
    expect(result.countedDays.map((d) => d.day)).toEqual([
      '2025-02-03',
      '2025-02-04',
      '2025-02-05',
      '2025-02-06',
      '2025-02-07',
      '2025-02-10',
      '2025-02-11',
    ]);
    const skipped = result.skippedDays.map((d) => `${d.day} ${d.kind} ${d.name ?? ''}`.trim());
    expect(skipped).toEqual([
      '2025-01-25 holiday Tết Nguyên đán',
      '2025-01-26 holiday Tết Nguyên đán',
      '2025-01-27 holiday Tết Nguyên đán',
      '2025-01-28 holiday Tết Nguyên đán',
      '2025-01-29 holiday Tết Nguyên đán',
      '2025-01-30 holiday Tết Nguyên đán',
      '2025-01-31 holiday Tết Nguyên đán',
      '2025-02-01 holiday Tết Nguyên đán',
      '2025-02-02 holiday Tết Nguyên đán',
      '2025-02-08 weekend',
      '2025-02-09 weekend',
    ]);
  });

  it('marks the make-up Saturday it counted', () => {
    const result = computeDueDate(calendar, vn('2025-04-24T09:00'), 3, rules);
    expect(result.countedDays.map((d) => d.kind)).toEqual([
      'workday',
      'make_up_workday',
      'workday',
    ]);
    expect(result.skippedDays.map((d) => d.day)).toEqual(['2025-04-27']);
  });

  it('treats a receipt at 23:30 UTC as the next local day', () => {
    // 23:30 UTC Thu 5 Mar 2026 is 06:30 Fri 6 Mar in Vietnam: counting starts Mon 9 Mar.
    const result = computeDueDate(calendar, new Date('2026-03-05T23:30:00Z'), 1, rules);
    expect(result.receivedOn).toBe('2026-03-06');
    expect(result.dueOn).toBe('2026-03-09');
    expect(result.dueAt.toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });

  describe('same-day (0 WD) procedures', () => {
    it('are due the same day at closing when received before 15:00', () => {
      const result = computeDueDate(calendar, vn('2026-03-10T14:59'), 0, rules);
      expect(result.dueAt.toISOString()).toBe(vn('2026-03-10T17:00').toISOString());
      expect(result.movedToNextWorkingDay).toBe(false);
    });
    it('are due the next working day when received at or after 15:00', () => {
      const result = computeDueDate(calendar, vn('2026-03-13T15:00'), 0, rules);
      expect(result.dueOn).toBe('2026-03-16'); // Friday → Monday
      expect(result.movedToNextWorkingDay).toBe(true);
    });
    it('received on a Saturday morning are due the next working day', () => {
      expect(computeDueDate(calendar, vn('2026-03-14T08:00'), 0, rules).dueOn).toBe('2026-03-16');
    });
    it('honour a configured cut-off and closing time', () => {
      const result = computeDueDate(calendar, vn('2026-03-10T15:30'), 0, {
        closingTime: '16:30',
        sameDayCutoffTime: '16:00',
      });
      expect(result.dueAt.toISOString()).toBe(vn('2026-03-10T16:30').toISOString());
    });
  });
});

describe('WorkingCalendar', () => {
  it('knows weekends, holidays and make-up Saturdays', () => {
    expect(calendar.describe('2026-03-14').kind).toBe('weekend');
    expect(calendar.describe('2026-09-02')).toEqual({
      day: '2026-09-02',
      kind: 'holiday',
      name: 'Quốc khánh 2/9',
    });
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('counts working days between two instants by local day', () => {
    // Received Wed 29 Apr 2026, now Wed 6 May 2026: Mon 4, Tue 5, Wed 6.
    expect(
      workingDaysBetweenInstants(calendar, vn('2026-04-29T10:00'), vn('2026-05-06T08:00')),
    ).toBe(3);
    expect(
      workingDaysBetweenInstants(calendar, vn('2026-03-10T10:00'), vn('2026-03-10T16:00')),
    ).toBe(0);
  });

  it('rejects a negative number of days', () => {
    expect(() => calendar.addWorkingDays('2026-01-01', -1)).toThrow(RangeError);
  });
});

/** The oracle: step one day at a time, by the rules as written, with no shared code. */
function oracleIsWorkingDay(day: string): boolean {
  const entry = CALENDAR.find((e) => e.day === day);
  if (entry) return entry.kind === 'make_up_workday';
  const dow = new Date(`${day}T12:00:00Z`).getUTCDay();
  return dow >= 1 && dow <= 5;
}
function oracleNextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
function oracleDue(receivedLocalDay: string, n: number): string {
  let day = receivedLocalDay;
  let left = n;
  while (left > 0) {
    day = oracleNextDay(day);
    if (oracleIsWorkingDay(day)) left--;
  }
  return day;
}

describe('property: agrees with a day-by-day oracle over 2024–2026', () => {
  const instant = fc.date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2026-11-30T23:59:59Z'),
    noInvalidDate: true,
  });

  it('due day for 1–30 working days from any instant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (at, n) => {
        const localDay = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
        const result = computeDueDate(calendar, at, n, rules);
        expect(result.dueOn).toBe(oracleDue(localDay, n));
        expect(result.dueAt.getTime()).toBe(Date.parse(`${result.dueOn}T17:00:00+07:00`));
        expect(result.countedDays.length + result.skippedDays.length).toBe(
          Math.round((Date.parse(result.dueOn) - Date.parse(localDay)) / 86_400_000),
        );
        expect(result.dueAt.getTime()).toBeGreaterThan(at.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('is a working day and every counted day is one', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 20 }), (at, n) => {
        const result = computeDueDate(calendar, at, n, rules);
        expect(oracleIsWorkingDay(result.dueOn)).toBe(true);
        for (const d of result.countedDays) expect(oracleIsWorkingDay(d.day)).toBe(true);
        for (const d of result.skippedDays) expect(oracleIsWorkingDay(d.day)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('workingDaysBetween inverts addWorkingDays', () => {
    const day = fc.integer({ min: 0, max: 1000 }).map((i) => {
      const d = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000);
      return d.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 40 }), (d, n) => {
        expect(calendar.workingDaysBetween(d, calendar.addWorkingDays(d, n))).toBe(n);
      }),
    );
  });
});
