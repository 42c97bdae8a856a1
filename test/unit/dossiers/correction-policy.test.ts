import { describe, expect, it } from 'vitest';
import { ACTIONS, allowedActions } from '../../../src/dossiers/actions/index.js';
import { intakeChanges, type FieldChange } from '../../../src/dossiers/intake/index.js';
import {
  decideCorrection,
  type PolicyFacts,
  type Refusal,
} from '../../../src/dossiers/policy/index.js';
import { localDateOf } from '../../../src/lib/vietnam-time.js';

/**
 * Who may correct a wrong intake, and until when (docs/DECISIONS.md "Correcting an intake"): the
 * officer who received it or a supervisor of its office, on the local day of receipt (Vietnam,
 * UTC+7), while nothing was handed on. A table of cases over the policy's pure function.
 */
type Who = 'receiver' | 'otherCounter' | 'supervisor' | 'parentSupervisor' | 'otherOffice';

const ACCOUNTS: Record<Who, PolicyFacts['account'] & { scope: number[] }> = {
  receiver: { id: 1, role: 'officer', counterDuty: true, officeId: 1, memberships: [], scope: [1] },
  otherCounter: {
    id: 2,
    role: 'officer',
    counterDuty: true,
    officeId: 1,
    memberships: [],
    scope: [1],
  },
  supervisor: {
    id: 3,
    role: 'supervisor',
    counterDuty: false,
    officeId: 1,
    memberships: [],
    scope: [1],
  },
  // The province's supervisor sees the district's dossiers but is not of its office.
  parentSupervisor: {
    id: 4,
    role: 'supervisor',
    counterDuty: false,
    officeId: 2,
    memberships: [],
    scope: [1, 2],
  },
  otherOffice: {
    id: 5,
    role: 'officer',
    counterDuty: true,
    officeId: 9,
    memberships: [],
    scope: [9],
  },
};

interface Situation {
  receivedAt: string;
  now: string;
  handedOn?: boolean;
}

function facts(who: Who, s: Situation): PolicyFacts {
  const { scope, ...account } = ACCOUNTS[who];
  return {
    account,
    dossier: { office_id: 1, received_by: 1, received_on: localDateOf(new Date(s.receivedAt)) },
    today: localDateOf(new Date(s.now)),
    handedOn: s.handedOn ?? false,
    scope,
    openStep: s.handedOn
      ? { kind: 'processing', unit_id: 10, holder_account_id: null }
      : { kind: 'reception', unit_id: null, holder_account_id: 1 },
    processedBy: [],
    supervisorActsForUnits: false,
  };
}

// Tue 10 Mar 2026, 09:00 local (02:00 UTC).
const sameDay: Situation = { receivedAt: '2026-03-10T02:00:00Z', now: '2026-03-10T08:00:00Z' };

const CASES: [string, Who, Situation, 'allowed' | Refusal][] = [
  ['the officer who received it, the same day', 'receiver', sameDay, 'allowed'],
  [
    'the same officer at 23:59 local, received at 00:05 local the same day',
    'receiver',
    // 00:05 and 23:59 of 10 Mar in Vietnam are on two UTC days (9 and 10 Mar).
    { receivedAt: '2026-03-09T17:05:00Z', now: '2026-03-10T16:59:00Z' },
    'allowed',
  ],
  [
    'the same officer one minute past local midnight (still 10 Mar in UTC)',
    'receiver',
    { receivedAt: '2026-03-10T16:58:00Z', now: '2026-03-10T17:01:00Z' },
    'correction_day_over',
  ],
  [
    'the next morning',
    'receiver',
    { receivedAt: '2026-03-10T02:00:00Z', now: '2026-03-11T01:00:00Z' },
    'correction_day_over',
  ],
  [
    'after it was handed on, the same day',
    'receiver',
    { ...sameDay, handedOn: true },
    'correction_handed_on',
  ],
  ['another officer of the same counter', 'otherCounter', sameDay, 'not_receiver'],
  ['a supervisor of the office', 'supervisor', sameDay, 'allowed'],
  [
    'a supervisor of the office, the next day',
    'supervisor',
    { receivedAt: '2026-03-10T02:00:00Z', now: '2026-03-11T01:00:00Z' },
    'correction_day_over',
  ],
  ['a supervisor of the office above', 'parentSupervisor', sameDay, 'not_receiver'],
  ['an officer of another office', 'otherOffice', sameDay, 'out_of_scope'],
];

describe('correcting an intake: who and until when (a table of cases)', () => {
  it.each(CASES)('%s', (_label, who, situation, expected) => {
    const verdict = decideCorrection(ACTIONS.correct_intake.who, facts(who, situation));
    expect(verdict.allowed ? 'allowed' : verdict.refusal).toBe(expected);
  });

  it('is offered exactly when the policy allows it, and only on a received dossier', () => {
    const received = {
      status: 'received',
      rescheduled_due_on: null,
      return_channel: 'counter' as const,
      post_dispatched_at: null,
    };
    expect(allowedActions(received, facts('receiver', sameDay))).toContain('correct_intake');
    expect(allowedActions(received, facts('supervisor', sameDay))).toContain('correct_intake');
    const nextDay = { receivedAt: sameDay.receivedAt, now: '2026-03-11T01:00:00Z' };
    expect(allowedActions(received, facts('receiver', nextDay))).not.toContain('correct_intake');
    expect(allowedActions(received, facts('otherCounter', sameDay))).not.toContain(
      'correct_intake',
    );
    for (const status of ['processing', 'returned', 'withdrawn', 'result_ready'])
      expect(
        allowedActions(
          {
            status,
            rescheduled_due_on: null,
            return_channel: 'counter' as const,
            post_dispatched_at: null,
          },
          facts('receiver', sameDay),
        ),
      ).not.toContain('correct_intake');
  });

  it('treats unknown facts (no clock, no steps read) as closed', () => {
    const f = facts('receiver', sameDay);
    expect(decideCorrection(ACTIONS.correct_intake.who, { ...f, handedOn: undefined })).toEqual({
      allowed: false,
      refusal: 'correction_handed_on',
    });
    expect(decideCorrection(ACTIONS.correct_intake.who, { ...f, today: undefined })).toEqual({
      allowed: false,
      refusal: 'correction_day_over',
    });
  });
});

describe('what a correction changes', () => {
  const side = (over: Partial<Record<string, string | null>> = {}, papers = ['CT01']) => ({
    procedure: { code: over.code ?? '1.003677', name: over.name ?? 'Khai báo tạm vắng' },
    columns: {
      applicant_name: 'Nguyễn Văn An',
      personal_id: '035090001234',
      birth_date: '1990-05-01',
      sex: 'male',
      phone: '0912345678',
      email: null,
      address: 'Thôn 3',
      vehicle_kind: null,
      vehicle_id: null,
      vehicle_frame_no: null,
      vehicle_engine_no: null,
      vehicle_brand: null,
      vehicle_colour: null,
      ...Object.fromEntries(Object.entries(over).filter(([k]) => k !== 'code' && k !== 'name')),
    },
    papers,
  });

  it('lists each changed field with its value before and after, the procedure first', () => {
    const changes: FieldChange[] = intakeChanges(
      side(),
      side({ code: '1.004194', name: 'Đăng ký tạm trú', birth_date: '1990-05-02' }, [
        'CT01',
        'Hợp đồng thuê',
      ]),
    );
    expect(changes).toEqual([
      {
        field: 'procedure',
        before: 'Khai báo tạm vắng (1.003677)',
        after: 'Đăng ký tạm trú (1.004194)',
      },
      { field: 'birth_date', before: '1990-05-01', after: '1990-05-02' },
      { field: 'documents', before: 'CT01', after: 'CT01; Hợp đồng thuê' },
    ]);
  });

  it('finds nothing when nothing changed (an empty text and a missing value are the same)', () => {
    expect(intakeChanges(side({ email: '' }), side())).toEqual([]);
  });
});
