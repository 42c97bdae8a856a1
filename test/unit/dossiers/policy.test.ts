import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  allowedActions,
  approvesAt,
  type ActionName,
} from '../../../src/dossiers/actions/index.js';
import {
  decide,
  PAGE_VERBS,
  type PolicyFacts,
  type Refusal,
  type Who,
} from '../../../src/dossiers/policy/index.js';
import type { StepKind } from '../../../src/db/schema.js';

/**
 * The dossier policy as a table of cases (docs/ARCHITECTURE.md "Who may act"): each row is an
 * account, a dossier's open step, a verb, and the answer. Office 1 is the counter's office;
 * unit 10 is its administrative-police team (QLHC), unit 20 its traffic team (CSGT).
 */
type AccountKind =
  | 'counter'
  | 'processor'
  | 'processor2'
  | 'approver'
  | 'otherUnitProcessor'
  | 'otherUnitApprover'
  | 'supervisor'
  | 'admin'
  | 'otherOfficeCounter';

const ACCOUNTS: Record<AccountKind, PolicyFacts['account'] & { scope: number[] }> = {
  counter: { id: 1, role: 'officer', counterDuty: true, officeId: 1, memberships: [], scope: [1] },
  processor: {
    id: 2,
    role: 'officer',
    counterDuty: false,
    officeId: 1,
    memberships: [{ unit_id: 10, role: 'processor' }],
    scope: [1],
  },
  processor2: {
    id: 3,
    role: 'officer',
    counterDuty: false,
    officeId: 1,
    memberships: [{ unit_id: 10, role: 'processor' }],
    scope: [1],
  },
  approver: {
    id: 4,
    role: 'officer',
    counterDuty: false,
    officeId: 1,
    memberships: [{ unit_id: 10, role: 'approver' }],
    scope: [1],
  },
  otherUnitProcessor: {
    id: 5,
    role: 'officer',
    counterDuty: false,
    officeId: 1,
    memberships: [{ unit_id: 20, role: 'processor' }],
    scope: [1],
  },
  otherUnitApprover: {
    id: 6,
    role: 'officer',
    counterDuty: false,
    officeId: 1,
    memberships: [{ unit_id: 20, role: 'approver' }],
    scope: [1],
  },
  supervisor: {
    id: 7,
    role: 'supervisor',
    counterDuty: false,
    officeId: 1,
    memberships: [],
    scope: [1, 2],
  },
  admin: { id: 8, role: 'admin', counterDuty: false, officeId: 1, memberships: [], scope: [1, 2] },
  otherOfficeCounter: {
    id: 9,
    role: 'officer',
    counterDuty: true,
    officeId: 2,
    memberships: [],
    scope: [2],
  },
};

interface Situation {
  step: { kind: StepKind; unit: number | null; holder: number | null } | null;
  processedBy?: number[];
  supervisorActsForUnits?: boolean;
}

function facts(who: AccountKind, s: Situation): PolicyFacts {
  const { scope, ...account } = ACCOUNTS[who];
  return {
    account,
    dossier: { office_id: 1 },
    scope,
    openStep: s.step
      ? { kind: s.step.kind, unit_id: s.step.unit, holder_account_id: s.step.holder }
      : null,
    processedBy: s.processedBy ?? [],
    supervisorActsForUnits: s.supervisorActsForUnits ?? false,
  };
}

const verbWho = (verb: ActionName | keyof typeof PAGE_VERBS): Who =>
  verb in PAGE_VERBS
    ? PAGE_VERBS[verb as keyof typeof PAGE_VERBS]
    : ACTIONS[verb as ActionName].who;
const approves = (verb: string, s: Situation) =>
  verb in ACTIONS && approvesAt(verb as ActionName, s.step?.kind ?? null);

const reception: Situation = { step: { kind: 'reception', unit: null, holder: 1 } };
const queued: Situation = { step: { kind: 'processing', unit: 10, holder: null } };
const held: Situation = { step: { kind: 'processing', unit: 10, holder: 2 } };
const approval: Situation = {
  step: { kind: 'approval', unit: 10, holder: null },
  processedBy: [2],
};
const resultBack: Situation = { step: { kind: 'result', unit: null, holder: null } };
const noSteps: Situation = { step: null };

type Row = [
  label: string,
  verb: ActionName | keyof typeof PAGE_VERBS,
  who: AccountKind,
  situation: Situation,
  expected: 'allowed' | 'on_behalf' | Refusal,
];

const CASES: Row[] = [
  // Office scope: another office's dossier does not exist for the account.
  [
    'another office’s counter cannot see it',
    'receive_supplement',
    'otherOfficeCounter',
    reception,
    'out_of_scope',
  ],
  // The counter's own actions.
  ['the counter hands a received dossier over', 'hand_over', 'counter', reception, 'allowed'],
  ['the counter starts processing', 'start_processing', 'counter', reception, 'allowed'],
  ['the counter marks the result ready', 'mark_result_ready', 'counter', resultBack, 'allowed'],
  ['the counter returns the result', 'return_result', 'counter', resultBack, 'allowed'],
  [
    'the counter sends a result back for rework',
    'return_for_rework',
    'counter',
    resultBack,
    'allowed',
  ],
  [
    'a processor cannot return the result',
    'return_result',
    'processor',
    resultBack,
    'counter_only',
  ],
  [
    'a supervisor does not do the counter’s returns',
    'return_result',
    'supervisor',
    resultBack,
    'counter_only',
  ],
  [
    'an imported dossier without steps: the counter acts',
    'hand_over',
    'counter',
    noSteps,
    'allowed',
  ],
  // Receipts: a reprint reissues the citizen's key, so only the counter.
  ['the counter reprints a receipt', 'reprint_receipt', 'counter', held, 'allowed'],
  [
    'a processor is not offered a receipt reprint',
    'reprint_receipt',
    'processor',
    held,
    'counter_only',
  ],
  [
    'an approver is not offered a receipt reprint',
    'reprint_receipt',
    'approver',
    approval,
    'counter_only',
  ],
  [
    'a supervisor is not offered a receipt reprint',
    'reprint_receipt',
    'supervisor',
    held,
    'counter_only',
  ],
  [
    'an administrator is not offered a receipt reprint',
    'reprint_receipt',
    'admin',
    held,
    'counter_only',
  ],
  // The unit's queue and its holder.
  ['a processor of the unit claims from its queue', 'claim', 'processor', queued, 'allowed'],
  [
    'an officer of another unit cannot claim',
    'claim',
    'otherUnitProcessor',
    queued,
    'not_your_unit',
  ],
  ['the counter cannot claim a unit’s dossier', 'claim', 'counter', queued, 'not_your_unit'],
  ['the holder hands on', 'hand_over', 'processor', held, 'allowed'],
  [
    'a unit member who does not hold it cannot hand it on',
    'hand_over',
    'processor2',
    held,
    'not_holder',
  ],
  ['the unit leader can hand it on', 'hand_over', 'approver', held, 'allowed'],
  ['another unit cannot hand it on', 'hand_over', 'otherUnitProcessor', held, 'not_your_unit'],
  ['the holder sends it back for rework', 'return_for_rework', 'processor', held, 'allowed'],
  ['the holder asks for a supplement', 'request_supplement', 'processor', held, 'allowed'],
  // Approval and the separation of duties.
  ['the approver approves their unit’s', 'approve', 'approver', approval, 'allowed'],
  [
    'an approver of another unit cannot approve',
    'approve',
    'otherUnitApprover',
    approval,
    'approver_only',
  ],
  ['a processor cannot approve', 'approve', 'processor', approval, 'approver_only'],
  ['a processor cannot claim an approval', 'claim', 'processor', approval, 'approver_only'],
  [
    'the approver sends it back from approval',
    'return_for_rework',
    'approver',
    approval,
    'allowed',
  ],
  [
    'the processing officer cannot approve their own work',
    'approve',
    'approver',
    { ...approval, processedBy: [4] },
    'own_work',
  ],
  [
    'nor take the approval step of their own work',
    'claim',
    'approver',
    { ...approval, processedBy: [4] },
    'own_work',
  ],
  // Supervisors stand in for a unit only where the office says so, and it is recorded.
  [
    'a supervisor does not process for a unit by default',
    'claim',
    'supervisor',
    queued,
    'not_for_supervisors',
  ],
  [
    'a supervisor does not approve for a unit by default',
    'approve',
    'supervisor',
    approval,
    'not_for_supervisors',
  ],
  [
    'where the office allows, a supervisor claims in the unit’s place',
    'claim',
    'supervisor',
    { ...queued, supervisorActsForUnits: true },
    'on_behalf',
  ],
  [
    'where the office allows, a supervisor approves in the unit’s place',
    'approve',
    'supervisor',
    { ...approval, supervisorActsForUnits: true },
    'on_behalf',
  ],
  [
    'a supervisor cannot both process and approve',
    'approve',
    'supervisor',
    { ...approval, processedBy: [7], supervisorActsForUnits: true },
    'own_work',
  ],
  [
    'an office without units: its supervisor approves',
    'approve',
    'supervisor',
    { step: { kind: 'approval', unit: null, holder: null } },
    'allowed',
  ],
  ['a supervisor decides a new date', 'reschedule', 'supervisor', held, 'allowed'],
  ['a supervisor stops a dossier', 'stop', 'supervisor', held, 'allowed'],
  ['a processor does not stop a dossier', 'stop', 'processor', held, 'not_allowed'],
  [
    'a processor does not change the citizen’s consent',
    'change_consent',
    'processor',
    held,
    'not_allowed',
  ],
  ['the counter changes the citizen’s consent', 'change_consent', 'counter', held, 'allowed'],
];

describe('the dossier policy (a table of cases)', () => {
  it.each(CASES)('%s', (_label, verb, who, situation, expected) => {
    const verdict = decide(verbWho(verb), facts(who, situation), {
      approves: approves(verb, situation),
    });
    const got = verdict.allowed ? (verdict.onBehalf ? 'on_behalf' : 'allowed') : verdict.refusal;
    expect(got).toBe(expected);
  });

  it('offers a page exactly the actions the policy allows', () => {
    const processing = {
      status: 'processing',
      rescheduled_due_on: null,
      return_channel: 'counter' as const,
      post_dispatched_at: null,
    };
    // A processor holding the dossier: hand on, rework, supplement, refuse; never a counter action.
    expect(allowedActions(processing, facts('processor', held))).toEqual([
      'request_supplement',
      'refuse',
      'hand_over',
      'return_for_rework',
    ]);
    // The approver of their own processing is offered nothing to approve.
    expect(
      allowedActions(processing, facts('approver', { ...approval, processedBy: [4] })),
    ).not.toContain('approve');
    expect(allowedActions(processing, facts('approver', approval))).toContain('approve');
    // A claimed step is not claimable again.
    expect(allowedActions(processing, facts('processor2', queued))).toContain('claim');
    expect(allowedActions(processing, facts('processor2', held))).not.toContain('claim');
  });
});
