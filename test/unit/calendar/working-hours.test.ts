import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import {
  addWorkingMinutes,
  parseWorkingHours,
  workingMinutesBetween,
  type WorkingHours,
} from '../../../src/calendar/working-hours.js';
import { CALENDAR } from '../../../seeds/calendar.js';

const calendar = new WorkingCalendar(CALENDAR);
const office = parseWorkingHours('07:00-11:30,13:30-17:00')!;
const vn = (local: string) => new Date(`${local}+07:00`);

/**
 * The oracle: walk minute by minute, counting a minute when it lies in a working period of a
 * working day. Slow and obviously right.
 */
function oracleAdd(hours: WorkingHours, start: Date, minutes: number): Date {
  let t = start.getTime();
  let left = minutes;
  while (left > 0) {
    if (isWorkingMinute(hours, t)) left--;
    t += 60_000;
  }
  return new Date(t);
}
function isWorkingMinute(hours: WorkingHours, t: number): boolean {
  const local = new Date(t + 7 * 3600_000);
  const day = local.toISOString().slice(0, 10);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return calendar.isWorkingDay(day) && hours.some((p) => minute >= p.start && minute < p.end);
}
function oracleBetween(hours: WorkingHours, from: Date, to: Date): number {
  let n = 0;
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) if (isWorkingMinute(hours, t)) n++;
  return n;
}

describe('working hours', () => {
  it('reads office hours and refuses malformed, reversed or overlapping periods', () => {
    expect(office).toEqual([
      { start: 420, end: 690 },
      { start: 810, end: 1020 },
    ]);
    for (const bad of [
      '',
      '07:00',
      '7:00-11:30',
      '11:30-07:00',
      '07:00-12:00,11:00-17:00',
      '07:00-11:30-12:00',
      '25:00-26:00',
    ]) {
      expect(parseWorkingHours(bad), bad).toBeNull();
    }
  });

  it.each([
    // [label, start (local), minutes, deadline (local)]
    ['a step crossing lunch', '2026-03-10T10:30', 120, '2026-03-10T14:30'],
    [
      'ending exactly at the lunch break stays at 11:30',
      '2026-03-10T10:30',
      60,
      '2026-03-10T11:30',
    ],
    ['started during lunch counts from 13:30', '2026-03-10T12:15', 30, '2026-03-10T14:00'],
    ['crossing closing time goes on next morning', '2026-03-10T16:00', 120, '2026-03-11T08:00'],
    [
      'started after closing counts from the next morning',
      '2026-03-10T18:30',
      60,
      '2026-03-11T08:00',
    ],
    ['a weekend passes without counting', '2026-03-13T16:00', 120, '2026-03-16T08:00'],
    ['a make-up Saturday counts (Sat 22 Aug 2026)', '2026-08-21T16:00', 120, '2026-08-22T08:00'],
    ['Tết 2026 passes (14–22 Feb)', '2026-02-13T16:00', 120, '2026-02-23T08:00'],
    ['Quốc khánh 2026 passes (29 Aug – 2 Sep)', '2026-08-28T16:30', 480, '2026-09-03T16:30'],
    ['two full working days', '2026-03-10T07:00', 960, '2026-03-11T17:00'],
  ])('%s', (_label, start, minutes, deadline) => {
    const result = addWorkingMinutes(calendar, office, vn(start), minutes);
    expect(result.at.toISOString()).toBe(vn(deadline).toISOString());
    expect(result.at.toISOString()).toBe(oracleAdd(office, vn(start), minutes).toISOString());
    expect(result.counted.reduce((s, c) => s + c.to - c.from, 0)).toBe(minutes);
  });

  it('explains a deadline: the stretches counted and the days passed over', () => {
    const r = addWorkingMinutes(calendar, office, vn('2026-08-21T16:00'), 120);
    expect(r.counted).toEqual([
      { day: '2026-08-21', from: 960, to: 1020 },
      { day: '2026-08-22', from: 420, to: 480, makeUpDay: true },
    ]);
    const tet = addWorkingMinutes(calendar, office, vn('2026-02-13T16:00'), 120);
    expect(tet.skipped.map((d) => d.day)).toEqual([
      '2026-02-14',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
  });

  it('matches the minute-by-minute oracle on random starts, lengths and office hours', () => {
    const hoursChoice = fc.constantFrom(
      office,
      parseWorkingHours('07:30-11:30,13:00-17:00')!,
      parseWorkingHours('08:00-12:00')!,
    );
    const startChoice = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
      .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
    fc.assert(
      fc.property(
        hoursChoice,
        startChoice,
        fc.integer({ min: 0, max: 3 * 480 }),
        (hours, start, minutes) => {
          const deadline = addWorkingMinutes(calendar, hours, start, minutes);
          expect(deadline.at.toISOString()).toBe(oracleAdd(hours, start, minutes).toISOString());
          expect(workingMinutesBetween(calendar, hours, start, deadline.at)).toBe(minutes);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts working minutes between two instants like the oracle', () => {
    const instant = fc
      .integer({ min: Date.parse('2026-02-01T00:00:00Z'), max: Date.parse('2026-03-10T00:00:00Z') })
      .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(workingMinutesBetween(calendar, office, a, b)).toBe(
          a < b ? oracleBetween(office, a, b) : 0,
        );
      }),
      { numRuns: 60 },
    );
  });
});
