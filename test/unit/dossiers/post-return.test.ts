import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import type { DossierRow } from '../../../src/db/schema.js';
import {
  nextStatus,
  stateAllows,
  workflowSpec,
  type ActionInput,
} from '../../../src/dossiers/actions/index.js';
import {
  normalizeTrackingCode,
  s10CheckDigit,
  trackingCodeProblem,
} from '../../../src/dossiers/record/index.js';
import { ValidationError } from '../../../src/errors.js';
import { nationalStatusOf } from '../../../src/online/portal-status.js';

const rules = {
  closingTime: '17:00',
  sameDayCutoffTime: '15:00',
  supplementClock: 'restart',
} as const;
const calendar = new WorkingCalendar([]);
const now = new Date('2026-04-23T02:00:00Z'); // Thu 23 Apr 2026, 09:00 local

const input = (fields: Partial<ActionInput> = {}): ActionInput => ({
  version: '1',
  note: '',
  reason: '',
  supplement_what: '',
  returned_to: '',
  returned_by: '',
  proxy_name: '',
  proxy_personal_id: '',
  proxy_paper: '',
  new_due_date: '',
  post_tracking_code: '',
  post_address: '',
  delivered_on: '',
  delivered_at: '',
  ...fields,
});

function dossier(overrides: Partial<DossierRow> = {}): DossierRow {
  return {
    id: 1,
    status: 'result_ready',
    due_on: '2026-04-23',
    rescheduled_due_on: null,
    outcome: 'early',
    return_channel: 'post',
    post_tracking_code: null,
    post_address: null,
    post_dispatched_at: null,
    post_delivered_on: null,
    ...overrides,
  } as DossierRow;
}

const plan = (
  action: 'dispatch_by_post' | 'post_delivered',
  d: DossierRow,
  i: ActionInput,
  at = now,
) => workflowSpec(action).plan({ rules, calendar, dossier: d, input: i, now: at });

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields ?? {};
    throw e;
  }
  throw new Error('no validation error');
}

describe('the postal tracking code (UPU S10)', () => {
  it('checks the check digit of hand-computed examples', () => {
    expect(s10CheckDigit('12345678')).toBe(5); // 204 mod 11 = 6 → 5
    expect(s10CheckDigit('87654321')).toBe(6); // 192 mod 11 = 5 → 6
    expect(s10CheckDigit('11111111')).toBe(5); // 44 mod 11 = 0 → 11 → 5
    expect(s10CheckDigit('00000010')).toBe(2); // 1 × 9 = 9 → 11 - 9 = 2
    expect(s10CheckDigit('00000001')).toBe(4); // 1 × 7 = 7 → 11 - 7 = 4
    expect(s10CheckDigit('00000000')).toBe(5); // 0 → 11 → 5
    expect(s10CheckDigit('02000000')).toBe(0); // 2 × 6 = 12, 12 mod 11 = 1 → 10 → 0
  });

  it('normalises what is typed and names what is wrong', () => {
    expect(normalizeTrackingCode(' eb 1234-5678 5vn ')).toBe('EB123456785VN');
    expect(trackingCodeProblem('')).toBe('required');
    expect(trackingCodeProblem('EB12345678VN')).toBe('format');
    expect(trackingCodeProblem('E1123456785VN')).toBe('format');
    expect(trackingCodeProblem('EB123456784VN')).toBe('check_digit');
    expect(trackingCodeProblem('EB123456785VN')).toBeNull();
  });

  it('accepts every code built with its check digit, and refuses any other last digit', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{2}$/),
        fc.stringMatching(/^\d{8}$/),
        fc.integer({ min: 0, max: 9 }),
        (service, serial, digit) => {
          const good = s10CheckDigit(serial);
          const code = `${service}${serial}${digit}VN`;
          expect(trackingCodeProblem(code)).toBe(digit === good ? null : 'check_digit');
        },
      ),
    );
  });
});

describe('the dispatch and the delivery in the action table', () => {
  it('dispatch: only a post dossier whose result is ready and not yet sent; the status stays', () => {
    expect(nextStatus('result_ready', 'dispatch_by_post')).toBe('result_ready');
    expect(nextStatus('processing', 'dispatch_by_post')).toBeNull();
    expect(stateAllows('dispatch_by_post', dossier())).toBe(true);
    expect(stateAllows('dispatch_by_post', dossier({ return_channel: 'counter' }))).toBe(false);
    const sent = dossier({ post_dispatched_at: '2026-04-22T02:00:00.000Z' });
    expect(stateAllows('dispatch_by_post', sent)).toBe(false);
    // Once sent, only the post returns it.
    expect(stateAllows('return_result', sent)).toBe(false);
    expect(stateAllows('post_delivered', sent)).toBe(true);
    expect(stateAllows('post_delivered', dossier())).toBe(false);
    expect(nextStatus('result_ready', 'post_delivered')).toBe('returned');
    expect(workflowSpec('dispatch_by_post').who).toEqual({ any: ['counter'] });
    expect(workflowSpec('post_delivered').who).toEqual({ any: ['counter'] });
  });

  it('the national portal: 9 while the post carries it, 10 when delivered', () => {
    expect(nationalStatusOf('dispatch_by_post')).toBe('9');
    expect(nationalStatusOf('post_delivered')).toBe('10');
  });

  it('dispatch: judges the outcome on the day the result leaves', () => {
    const i = input({
      post_tracking_code: 'eb123456785vn',
      post_address: 'Số 5 Trần Hưng Đạo, Ninh Bình',
    });
    expect(plan('dispatch_by_post', dossier(), i).patch).toEqual({
      post_tracking_code: 'EB123456785VN',
      post_address: 'Số 5 Trần Hưng Đạo, Ninh Bình',
      post_dispatched_at: now.toISOString(),
      outcome: 'on_time',
    });
    const dayBefore = dossier({ due_on: '2026-04-24' });
    expect(plan('dispatch_by_post', dayBefore, i).patch.outcome).toBe('early');
    const dayAfter = dossier({ due_on: '2026-04-22' });
    expect(plan('dispatch_by_post', dayAfter, i).patch.outcome).toBe('late');
    const rescheduled = dossier({ due_on: '2026-04-24', rescheduled_due_on: '2026-04-28' });
    expect(plan('dispatch_by_post', rescheduled, i).patch.outcome).toBe('late');
  });

  it('dispatch: every bad field at once', () => {
    expect(Object.keys(fieldsOf(() => plan('dispatch_by_post', dossier(), input())))).toEqual([
      'post_tracking_code',
      'post_address',
    ]);
  });

  it('delivery by hand: a day from the dispatch to today, at closing time unless today', () => {
    const sent = dossier({ post_dispatched_at: '2026-04-20T03:00:00.000Z' }); // Mon 20 Apr
    expect(plan('post_delivered', sent, input({ delivered_on: '21/04/2026' })).patch).toEqual({
      post_delivered_on: '2026-04-21',
      returned_at: '2026-04-21T10:00:00.000Z',
      closed_at: '2026-04-21T10:00:00.000Z',
    });
    expect(
      plan('post_delivered', sent, input({ delivered_on: '2026-04-23' })).patch.returned_at,
    ).toBe(now.toISOString());
    for (const day of ['', '19/04/2026', '24/04/2026', '2026-02-30', 'hôm qua'])
      expect(
        Object.keys(fieldsOf(() => plan('post_delivered', sent, input({ delivered_on: day })))),
      ).toEqual(['delivered_on']);
  });

  it('delivery by callback: an instant with its zone, between the dispatch and now', () => {
    const sent = dossier({ post_dispatched_at: '2026-04-20T03:00:00.000Z' });
    const p = plan('post_delivered', sent, input({ delivered_at: '2026-04-22T23:30:00+07:00' }));
    // 23:30 local on the 22nd is the 22nd in Vietnam, though the 22nd's 16:30 in UTC.
    expect(p.patch).toMatchObject({
      post_delivered_on: '2026-04-22',
      returned_at: '2026-04-22T16:30:00.000Z',
    });
    for (const at of [
      '2026-04-22T23:30:00',
      '2026-04-20T09:00:00+07:00',
      '2026-04-23T09:01:00+07:00',
      'x',
    ])
      expect(
        Object.keys(fieldsOf(() => plan('post_delivered', sent, input({ delivered_at: at })))),
      ).toEqual(['delivered_at']);
  });
});

describe('the timeline of a dispatch and a delivery', () => {
  it('names the tracking code and the delivery day before the officer’s note', () => {
    const i = input({
      post_tracking_code: 'EB123456785VN',
      post_address: 'Số 5 Trần Hưng Đạo, Ninh Bình',
      note: 'Gửi bảo đảm',
    });
    expect(plan('dispatch_by_post', dossier(), i).note).toBe(
      'Mã bưu gửi EB123456785VN. Gửi bảo đảm',
    );
    const sent = dossier({ post_dispatched_at: '2026-04-20T03:00:00.000Z' });
    expect(plan('post_delivered', sent, input({ delivered_on: '21/04/2026' })).note).toBe(
      'Bưu điện phát ngày 21/04/2026',
    );
  });
});
