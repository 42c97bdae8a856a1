import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import { parseWorkingHours, workingMinutesBetween } from '../../../src/calendar/working-hours.js';
import {
  needsApologyPrompt,
  stepAlert,
  stepOutcome,
  stepTiming,
} from '../../../src/dossiers/handover/step-timing.js';
import {
  defaultStepPlan,
  legalMinutes,
  minutesAfter,
  resolveStepPlan,
} from '../../../src/procedures/step-plan.js';
import { handOverTarget, reworkTarget } from '../../../src/dossiers/handover/handover-rules.js';
import { CALENDAR } from '../../../seeds/calendar.js';

const calendar = new WorkingCalendar(CALENDAR);
const hours = parseWorkingHours('07:00-11:30,13:30-17:00')!;
const vn = (local: string) => new Date(`${local}+07:00`);

/** The oracle of a deadline: minute by minute, counting the minutes inside working periods. */
function oracleDeadline(start: Date, minutes: number): Date {
  let t = start.getTime();
  for (let left = minutes; left > 0; t += 60_000) {
    const local = new Date(t + 7 * 3600_000);
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    if (
      calendar.isWorkingDay(local.toISOString().slice(0, 10)) &&
      hours.some((p) => minute >= p.start && minute < p.end)
    )
      left--;
  }
  return new Date(t);
}

describe('the step plan', () => {
  it('shares the legal time by default: reception ≤ half a day, approval 20 %, result ≤ a day, processing the rest', () => {
    expect(defaultStepPlan(15).map((s) => [s.kind, s.minutes])).toEqual([
      ['reception', 240],
      ['processing', 5040],
      ['approval', 1440],
      ['result', 480],
    ]);
    expect(defaultStepPlan(0).reduce((n, s) => n + s.minutes, 0)).toBe(legalMinutes(0));
    for (const days of [0, 1, 2, 3, 5, 7, 10, 15, 30]) {
      const plan = defaultStepPlan(days);
      expect(
        plan.reduce((n, s) => n + s.minutes, 0),
        `${days} days`,
      ).toBe(legalMinutes(days));
      expect(
        plan.every((s) => s.minutes >= 15 && s.minutes % 15 === 0),
        `${days} days`,
      ).toBe(true);
    }
  });

  it('uses a stored plan only when it names every step', () => {
    const stored = [
      { kind: 'reception' as const, minutes: 60, unit_code: null },
      { kind: 'processing' as const, minutes: 600, unit_code: 'CSGT' },
      { kind: 'approval' as const, minutes: 120, unit_code: 'CSGT' },
      { kind: 'result' as const, minutes: 60, unit_code: null },
    ];
    expect(resolveStepPlan(stored, 2)).toMatchObject({
      isDefault: false,
      steps: [
        { kind: 'reception', minutes: 60 },
        { kind: 'processing', minutes: 600, unitCode: 'CSGT' },
        {},
        {},
      ],
    });
    expect(resolveStepPlan(stored.slice(0, 3), 2).isDefault).toBe(true);
    expect(minutesAfter(resolveStepPlan(stored, 2), 'processing')).toBe(180);
  });
});

describe('step deadlines on calendar edges, against the minute-by-minute oracle', () => {
  const far = { receivedAt: vn('2026-01-05T08:00'), dueAt: null };
  it.each([
    ['crossing lunch', '2026-03-10T10:30', 120, '2026-03-10T14:30'],
    ['crossing closing time', '2026-03-10T16:00', 120, '2026-03-11T08:00'],
    ['handed over after closing', '2026-03-10T17:45', 240, '2026-03-11T11:00'],
    ['over a weekend', '2026-03-13T15:00', 480, '2026-03-16T15:00'],
    ['over Tết 2026 (14–22 Feb)', '2026-02-12T09:00', 960, '2026-02-23T09:00'],
    ['counting the make-up Saturday 22 Aug 2026', '2026-08-21T13:30', 480, '2026-08-22T11:30'],
    ['a long processing step (10 days of 8 hours)', '2026-04-24T09:00', 4800, '2026-05-13T09:00'],
  ])('%s', (_label, start, minutes, due) => {
    const timing = stepTiming(calendar, hours, vn(start), minutes, far);
    expect(timing.dueAt.toISOString()).toBe(vn(due).toISOString());
    expect(timing.dueAt.toISOString()).toBe(oracleDeadline(vn(start), minutes).toISOString());
    expect(timing.explanation.cappedAtDue).toBe(false);
    // At risk once 75 % of the step's working time is used.
    expect(workingMinutesBetween(calendar, hours, vn(start), timing.riskAt)).toBe(
      Math.ceil(minutes * 0.75),
    );
  });

  it('never falls due after the appointment, and is at risk when 75 % of the whole time is used first', () => {
    const dossier = { receivedAt: vn('2026-03-09T08:00'), dueAt: vn('2026-03-11T17:00') };
    const t = stepTiming(calendar, hours, vn('2026-03-11T08:00'), 960, dossier);
    expect(t.dueAt.toISOString()).toBe(dossier.dueAt.toISOString());
    expect(t.explanation.cappedAtDue).toBe(true);
    const whole = workingMinutesBetween(calendar, hours, dossier.receivedAt, dossier.dueAt);
    expect(workingMinutesBetween(calendar, hours, dossier.receivedAt, t.riskAt)).toBe(
      Math.ceil(whole * 0.75),
    );
  });

  it('classes a finished step early, on time or late against its deadline', () => {
    const due = vn('2026-03-11T14:00');
    expect(stepOutcome(vn('2026-03-10T16:00'), due)).toBe('early');
    expect(stepOutcome(vn('2026-03-11T13:59'), due)).toBe('on_time');
    expect(stepOutcome(vn('2026-03-11T14:00'), due)).toBe('on_time');
    expect(stepOutcome(vn('2026-03-11T14:01'), due)).toBe('late');
    expect(stepOutcome(vn('2026-03-11T14:01'), null)).toBeNull();
    const nowIso = vn('2026-03-11T12:00').toISOString();
    expect(
      stepAlert(
        {
          due_at: due.toISOString(),
          risk_at: vn('2026-03-11T11:00').toISOString(),
          finished_at: null,
        },
        nowIso,
      ),
    ).toBe('at_risk');
    expect(
      stepAlert(
        { due_at: vn('2026-03-11T11:59').toISOString(), risk_at: null, finished_at: null },
        nowIso,
      ),
    ).toBe('overdue');
    expect(
      stepAlert(
        { due_at: vn('2026-03-11T11:59').toISOString(), risk_at: null, finished_at: nowIso },
        nowIso,
      ),
    ).toBeNull();
  });

  it('prompts the apology before the date when the date cannot be made, never after it or twice', () => {
    const base = {
      open: true,
      rescheduled: false,
      now: vn('2026-03-11T08:00'),
      dueAt: vn('2026-03-12T17:00'),
      minutesLeft: 900,
      minutesStillPlanned: 600,
      currentStepOverdue: false,
    };
    expect(needsApologyPrompt(base)).toBe(false);
    expect(needsApologyPrompt({ ...base, minutesStillPlanned: 901 })).toBe(true);
    expect(needsApologyPrompt({ ...base, currentStepOverdue: true })).toBe(true);
    expect(needsApologyPrompt({ ...base, currentStepOverdue: true, rescheduled: true })).toBe(
      false,
    );
    expect(
      needsApologyPrompt({ ...base, currentStepOverdue: true, now: vn('2026-03-12T17:01') }),
    ).toBe(false);
    expect(needsApologyPrompt({ ...base, currentStepOverdue: true, open: false })).toBe(false);
  });
});

describe('where a handover leads', () => {
  it('knows where a handover and a rework lead', () => {
    expect(handOverTarget('reception', '')).toBe('processing');
    expect(handOverTarget('processing', '')).toBe('approval');
    expect(handOverTarget('processing', 'processing')).toBe('processing');
    expect(handOverTarget('reception', 'approval')).toBeNull();
    expect(handOverTarget('approval', '')).toBeNull();
    expect(reworkTarget('approval')).toBe('processing');
    expect(reworkTarget('processing')).toBe('reception');
    expect(reworkTarget('result')).toBe('approval');
    expect(reworkTarget('reception')).toBeNull();
  });
});
