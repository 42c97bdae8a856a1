import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import type { DossierRow } from '../../../src/db/schema.js';
import {
  stateAllows,
  workflowSpec,
  DOSSIER_ACTIONS,
  type ActionInput,
  type ActionRules,
  type DossierAction,
} from '../../../src/dossiers/actions/index.js';
import { ValidationError } from '../../../src/errors.js';

const calendar = new WorkingCalendar([
  { day: '2026-04-27', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương' },
  { day: '2026-04-30', kind: 'holiday', name: 'Ngày Giải phóng miền Nam' },
  { day: '2026-05-01', kind: 'holiday', name: 'Quốc tế Lao động' },
]);
const restart: ActionRules = {
  closingTime: '17:00',
  sameDayCutoffTime: '15:00',
  supplementClock: 'restart',
};
const pause: ActionRules = { ...restart, supplementClock: 'pause' };
// Thursday 23 April 2026, 09:00 in Vietnam.
const now = new Date('2026-04-23T02:00:00Z');

function dossier(overrides: Partial<DossierRow> = {}): DossierRow {
  return {
    id: 1,
    code: '000.00.13.H40-260420-0001',
    status: 'processing',
    processing_days: 3,
    due_on: '2026-04-23',
    due_at: '2026-04-23T10:00:00.000Z',
    due_explanation: '{"receivedOn":"2026-04-20"}',
    rescheduled_due_on: null,
    rescheduled_due_at: null,
    supplement_requested_at: null,
    ...overrides,
  } as DossierRow;
}
const input = (fields: Partial<ActionInput> = {}): ActionInput => ({
  version: '1',
  note: '',
  reason: '',
  supplement_what: '',
  returned_to: '',
  returned_by: '',
  proxy_name: '',
  post_tracking_code: '',
  post_address: '',
  delivered_on: '',
  delivered_at: '',
  proxy_personal_id: '',
  proxy_paper: '',
  new_due_date: '',
  ...fields,
});

/** An action's planner, as the action table names it. */
const planAction = (
  rules: ActionRules,
  cal: WorkingCalendar,
  d: DossierRow,
  action: DossierAction,
  input: ActionInput,
  at: Date,
) => workflowSpec(action).plan({ rules, calendar: cal, dossier: d, input, now: at });
const availableActions = (d: DossierRow) => DOSSIER_ACTIONS.filter((a) => stateAllows(a, d));

describe('the planners of the action table (pure)', () => {
  it.each([
    ['start_processing', {}, {}],
    ['mark_result_ready', {}, { result_on: '2026-04-23', outcome: 'on_time' }],
    [
      'return_result',
      { returned_to: 'Nguyễn   Văn An' },
      { returned_to: 'Nguyễn Văn An', closed_at: now.toISOString() },
    ],
    [
      'request_supplement',
      { supplement_what: 'Tờ khai CT01', reason: 'Thiếu chữ ký chủ hộ trên tờ khai' },
      { supplement_requested_at: now.toISOString() },
    ],
    [
      'refuse',
      { reason: 'Không thuộc thẩm quyền giải quyết' },
      { refusal_reason: 'Không thuộc thẩm quyền giải quyết', closed_at: now.toISOString() },
    ],
    ['stop', { reason: 'Công dân đề nghị dừng giải quyết' }, { closed_at: now.toISOString() }],
    [
      'reschedule',
      { reason: 'Chờ xác minh thông tin cư trú', new_due_date: '2026-04-28' },
      { rescheduled_due_on: '2026-04-28', rescheduled_due_at: '2026-04-28T10:00:00.000Z' },
    ],
  ] as const)('plans %s', (action, fields, patch) => {
    const plan = planAction(restart, calendar, dossier(), action, input(fields), now);
    expect(plan.patch).toMatchObject(patch);
  });

  it.each([
    ['return_result', {}, ['returned_to']],
    ['request_supplement', { reason: 'ngắn' }, ['supplement_what', 'reason']],
    ['refuse', { reason: 'ngắn' }, ['reason']],
    [
      'reschedule',
      { reason: 'Chờ xác minh thông tin cư trú', new_due_date: '2026-04-30' },
      ['new_due_date'],
    ], // a holiday
    [
      'reschedule',
      { reason: 'Chờ xác minh thông tin cư trú', new_due_date: '2026-04-22' },
      ['new_due_date'],
    ], // before the due date
    ['reschedule', {}, ['reason', 'new_due_date']],
  ] as const)('refuses %s with %j, naming %j', (action, fields, named) => {
    let error: unknown;
    try {
      planAction(restart, calendar, dossier(), action, input(fields), now);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual([...named].sort());
  });

  it('records a return to an authorised person with their ID number and authorisation paper', () => {
    const plan = planAction(
      restart,
      calendar,
      dossier({ status: 'result_ready' }),
      'return_result',
      input({
        returned_by: 'authorised',
        proxy_name: 'Lê  Văn Bảo',
        proxy_personal_id: '035 085 001 111',
        proxy_paper: 'Giấy ủy quyền số 12/2026, UBND xã chứng thực 20/04/2026',
      }),
      now,
    );
    expect(plan.patch.returned_to).toBe('Lê Văn Bảo');
    expect(plan.details).toEqual({
      returnedBy: 'authorised',
      returnedTo: 'Lê Văn Bảo',
      proxyPersonalId: '035085001111',
      authorisation: 'Giấy ủy quyền số 12/2026, UBND xã chứng thực 20/04/2026',
    });
    expect(() =>
      planAction(
        restart,
        calendar,
        dossier({ status: 'result_ready' }),
        'return_result',
        input({ returned_by: 'authorised', proxy_name: 'B', proxy_personal_id: '12' }),
        now,
      ),
    ).toThrow(ValidationError);
  });

  it('marks a result after the appointment as late', () => {
    const plan = planAction(
      restart,
      calendar,
      dossier({ due_on: '2026-04-22' }),
      'mark_result_ready',
      input(),
      now,
    );
    expect(plan.patch.outcome).toBe('late');
  });

  it('restarts the clock from the full legal time when the supplement arrives (restart policy)', () => {
    // Received Thu 23/04: Fri 24, (Sat, Sun), (Mon 27 Giỗ Tổ), Tue 28, Wed 29 → due Wed 29/04.
    const plan = planAction(
      restart,
      calendar,
      dossier({ status: 'supplement_requested', supplement_requested_at: '2026-04-21T02:00:00Z' }),
      'receive_supplement',
      input(),
      now,
    );
    expect(plan.patch).toMatchObject({ due_on: '2026-04-29', supplement_requested_at: null });
    expect(JSON.parse(plan.patch.due_explanation as string).basis).toBe('supplement_restart');
  });

  it('moves the due date by the working days waited (pause policy)', () => {
    // Asked Tue 21/04, back Thu 23/04: two working days waited; due Thu 23 → Fri 24, (weekend, Giỗ Tổ), Tue 28.
    const plan = planAction(
      pause,
      calendar,
      dossier({ status: 'supplement_requested', supplement_requested_at: '2026-04-21T02:00:00Z' }),
      'receive_supplement',
      input(),
      now,
    );
    expect(plan.patch.due_on).toBe('2026-04-28');
    expect(plan.details).toMatchObject({
      clockPolicy: 'pause',
      pausedWorkingDays: 2,
      dueOnBefore: '2026-04-23',
      dueOnAfter: '2026-04-28',
    });
  });

  it('offers the apology only once', () => {
    expect(availableActions(dossier())).toContain('reschedule');
    expect(availableActions(dossier({ rescheduled_due_on: '2026-04-28' }))).not.toContain(
      'reschedule',
    );
    expect(availableActions(dossier({ status: 'returned' }))).toEqual([]);
  });
});
