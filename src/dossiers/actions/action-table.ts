import type { DossierRow, RegisteredFormKind, StepEndReason, StepKind } from '../../db/schema.js';
import type { Who } from '../policy/dossier-policy.js';
import type { DossierStatus } from '../record/dossier-status.js';
import type { SlipKind } from '../record/slip-kinds.js';
import type { ActionInput } from './action-input.js';
import {
  planClose,
  planNote,
  planRefusal,
  planResultReady,
  planReschedule,
  planReturn,
  planSupplementReceived,
  planSupplementRequest,
  type Planner,
} from './planners.js';
import { planPostDelivered, planPostDispatch } from './post-planners.js';

/**
 * Every action on a dossier, declared once (docs/ARCHITECTURE.md "Actions"): from which
 * statuses, to which, who may take it (read by the policy), which fields it takes, what it
 * records (its planner), what it does to the steps, which numbered form it issues, which slip
 * the page opens after it and which message it queues. The page, the API, the allowed-actions
 * list, the services and the tests all read this table. Pure data.
 */

/** What a workflow action does to the dossier's steps (a dossier without steps gains none). */
export interface StepMove {
  /** Close the open step with this reason. */
  close?: StepEndReason;
  /** Then open: processing in the planned unit's queue, or the wait for the citizen. */
  open?: 'planned_processing' | 'return';
  /** Reopen the step a supplement request paused, with its unit and holder. */
  resume?: true;
}

/** The citizen's message an action queues (consent permitting). */
export type CitizenMessage =
  | 'supplement'
  /** Only when the papers' arrival moved the date. */
  | 'due_moved'
  | 'rescheduled'
  | 'result_ready'
  | 'returned'
  /** The result left by post: the tracking code. */
  | 'posted'
  /** No message, but the reminder before the date is withdrawn. */
  | 'cancel_reminders';

export type ActionField = keyof Omit<ActionInput, 'version'> | 'to_step' | 'to_unit' | 'to_account';

/** What a workflow action's own condition reads of the dossier. */
export type ConditionFacts = Pick<
  DossierRow,
  'rescheduled_due_on' | 'return_channel' | 'post_dispatched_at'
>;

/** Why an action's own condition refuses it (a conflict: code, and its message in the locale). */
export type ConditionRefusal =
  'already_rescheduled' | 'not_post_channel' | 'already_dispatched' | 'not_dispatched';

export type ActionStyle = 'primary' | 'secondary' | 'danger';

interface Common {
  from: readonly DossierStatus[];
  who: Who;
  fields: readonly ActionField[];
  style: ActionStyle;
}

export interface WorkflowActionSpec extends Common {
  kind: 'workflow';
  to: DossierStatus | 'same';
  /** A condition of its own beyond the status (the new date is given once). */
  onlyIf?: (d: ConditionFacts) => boolean;
  /** The conflict answered when `onlyIf` refuses. */
  refusal?: ConditionRefusal;
  plan: Planner;
  steps: StepMove;
  register: RegisteredFormKind | null;
  slip: SlipKind | null;
  message: CitizenMessage | null;
}

export interface HandoverActionSpec extends Common {
  kind: 'handover';
  /**
   * At these steps the action approves (or takes the approval): the separation of duties
   * applies, never one's own processing.
   */
  approvesAt: readonly StepKind[];
}

/**
 * Correcting a wrong intake (procedure, applicant, papers) on its own page: besides the status,
 * only on the local day of receipt and before anything was handed on (the policy's window,
 * `intakeCorrectionWindow`). It recomputes the due date and reissues the lookup key
 * (intake/correction.service.ts).
 */
export interface CorrectionActionSpec extends Common {
  kind: 'correction';
  /** The page that holds its form (under /ho-so/:ref/). */
  page: string;
}

const OPEN = ['received', 'processing', 'supplement_requested'] as const;

export const ACTIONS = {
  start_processing: {
    kind: 'workflow',
    from: ['received'],
    to: 'processing',
    who: { reception: ['counter', 'holder'], none: ['counter'] },
    fields: ['note'],
    plan: planNote,
    steps: { close: 'handed_over', open: 'planned_processing' },
    register: null,
    slip: null,
    message: null,
    style: 'primary',
  },
  request_supplement: {
    kind: 'workflow',
    from: ['received', 'processing'],
    to: 'supplement_requested',
    who: { any: ['counter', 'holder', 'unit_approver'] },
    fields: ['supplement_what', 'reason'],
    plan: planSupplementRequest,
    steps: { close: 'supplement' },
    register: 'supplement',
    slip: 'supplement',
    message: 'supplement',
    style: 'primary',
  },
  receive_supplement: {
    kind: 'workflow',
    from: ['supplement_requested'],
    to: 'processing',
    who: { any: ['counter'] },
    fields: ['note'],
    plan: planSupplementReceived,
    steps: { resume: true },
    register: null,
    slip: null,
    message: 'due_moved',
    style: 'primary',
  },
  mark_result_ready: {
    kind: 'workflow',
    from: ['received', 'processing'],
    to: 'result_ready',
    who: { any: ['counter'] },
    fields: ['note'],
    plan: planResultReady,
    steps: { close: 'result_received', open: 'return' },
    register: null,
    slip: null,
    message: 'result_ready',
    style: 'primary',
  },
  return_result: {
    kind: 'workflow',
    from: ['result_ready'],
    to: 'returned',
    // Once the result left by post, the post returns it (below).
    onlyIf: (d) => d.post_dispatched_at === null,
    refusal: 'already_dispatched',
    who: { any: ['counter'] },
    fields: ['returned_by', 'returned_to', 'proxy_name', 'proxy_personal_id', 'proxy_paper'],
    plan: planReturn,
    steps: { close: 'returned' },
    register: null,
    // The pickup slip is printed from the dossier page, with the signature of whoever took it.
    slip: null,
    message: 'returned',
    style: 'primary',
  },
  // Results returned by post (docs/DOMAIN.md "Return by post"): the dispatch with its tracking
  // code, then the delivery (by hand, or the postal provider's callback), which returns it.
  dispatch_by_post: {
    kind: 'workflow',
    from: ['result_ready'],
    to: 'same',
    onlyIf: (d) => d.return_channel === 'post' && d.post_dispatched_at === null,
    refusal: 'not_post_channel',
    who: { any: ['counter'] },
    fields: ['post_tracking_code', 'post_address', 'note'],
    plan: planPostDispatch,
    steps: {},
    register: null,
    slip: null,
    message: 'posted',
    style: 'primary',
  },
  post_delivered: {
    kind: 'workflow',
    from: ['result_ready'],
    to: 'returned',
    onlyIf: (d) => d.post_dispatched_at !== null,
    refusal: 'not_dispatched',
    who: { any: ['counter'] },
    fields: ['delivered_on', 'note'],
    plan: planPostDelivered,
    steps: { close: 'returned' },
    register: null,
    slip: null,
    message: 'returned',
    style: 'primary',
  },
  reschedule: {
    kind: 'workflow',
    from: OPEN,
    to: 'same',
    onlyIf: (d) => d.rescheduled_due_on === null,
    refusal: 'already_rescheduled',
    who: { any: ['counter', 'unit_approver', 'supervisor'] },
    fields: ['new_due_date', 'reason'],
    plan: planReschedule,
    steps: {},
    register: 'apology',
    slip: 'apology',
    message: 'rescheduled',
    style: 'secondary',
  },
  refuse: {
    kind: 'workflow',
    from: ['received', 'processing'],
    to: 'refused',
    who: { any: ['counter', 'holder', 'unit_approver', 'supervisor'] },
    fields: ['reason'],
    plan: planRefusal,
    steps: { close: 'closed' },
    register: 'refusal',
    slip: 'refusal',
    message: 'cancel_reminders',
    style: 'danger',
  },
  stop: {
    kind: 'workflow',
    from: OPEN,
    to: 'stopped',
    who: { any: ['counter', 'unit_approver', 'supervisor'] },
    fields: ['reason'],
    plan: planClose,
    steps: { close: 'closed' },
    register: 'stop',
    slip: 'stop',
    message: 'cancel_reminders',
    style: 'danger',
  },
  withdraw: {
    kind: 'workflow',
    from: ['received', 'processing', 'supplement_requested', 'result_ready'],
    to: 'withdrawn',
    who: { any: ['counter', 'supervisor'] },
    fields: ['reason'],
    plan: planClose,
    steps: { close: 'closed' },
    register: 'stop',
    slip: 'stop',
    message: 'cancel_reminders',
    style: 'danger',
  },
  correct_intake: {
    kind: 'correction',
    from: ['received'],
    // The open step is the reception (nothing handed on): the officer who received it, or a
    // supervisor of its office.
    who: { reception: ['receiver', 'office_supervisor'] },
    fields: ['reason'],
    page: 'sua-tiep-nhan',
    style: 'secondary',
  },
  hand_over: {
    kind: 'handover',
    from: ['received', 'processing'],
    who: {
      none: ['counter'],
      reception: ['counter', 'holder'],
      processing: ['holder', 'unit_approver'],
    },
    fields: ['to_step', 'to_unit', 'to_account', 'note'],
    approvesAt: [],
    style: 'primary',
  },
  claim: {
    kind: 'handover',
    from: ['processing'],
    who: { processing: ['unit_member'], approval: ['unit_approver'] },
    fields: [],
    approvesAt: ['approval'],
    style: 'primary',
  },
  return_for_rework: {
    kind: 'handover',
    from: ['processing'],
    who: {
      processing: ['holder', 'unit_approver'],
      approval: ['unit_approver'],
      result: ['counter'],
    },
    fields: ['reason'],
    approvesAt: [],
    style: 'secondary',
  },
  approve: {
    kind: 'handover',
    from: ['processing'],
    who: { approval: ['unit_approver'] },
    fields: ['note'],
    approvesAt: ['approval'],
    style: 'primary',
  },
} as const satisfies Record<string, WorkflowActionSpec | HandoverActionSpec | CorrectionActionSpec>;

type AnySpec = WorkflowActionSpec | HandoverActionSpec | CorrectionActionSpec;
export type ActionName = keyof typeof ACTIONS;
export type DossierAction = {
  [K in ActionName]: (typeof ACTIONS)[K]['kind'] extends 'workflow' ? K : never;
}[ActionName];
export type HandoverAction = {
  [K in ActionName]: (typeof ACTIONS)[K]['kind'] extends 'handover' ? K : never;
}[ActionName];
export type CorrectionAction = {
  [K in ActionName]: (typeof ACTIONS)[K]['kind'] extends 'correction' ? K : never;
}[ActionName];

export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];
export const DOSSIER_ACTIONS = ACTION_NAMES.filter(
  (a): a is DossierAction => ACTIONS[a].kind === 'workflow',
);
export const HANDOVER_ACTIONS = ACTION_NAMES.filter(
  (a): a is HandoverAction => ACTIONS[a].kind === 'handover',
);

export function isActionName(text: string): text is ActionName {
  return Object.hasOwn(ACTIONS, text);
}
export function isDossierAction(text: string): text is DossierAction {
  return isActionName(text) && ACTIONS[text].kind === 'workflow';
}
export function isHandoverAction(text: string): text is HandoverAction {
  return isActionName(text) && ACTIONS[text].kind === 'handover';
}
export function isCorrectionAction(text: string): text is CorrectionAction {
  return isActionName(text) && ACTIONS[text].kind === 'correction';
}

export function workflowSpec(action: DossierAction): WorkflowActionSpec {
  return ACTIONS[action];
}

/** The status a workflow action leads to from `status`, or null when it is not allowed there. */
export function nextStatus(status: DossierStatus, action: DossierAction): DossierStatus | null {
  const spec = workflowSpec(action);
  if (!spec.from.includes(status)) return null;
  return spec.to === 'same' ? status : spec.to;
}

/** Workflow actions possible from a status (before conditions such as "once" and who may). */
export function actionsFrom(status: DossierStatus): DossierAction[] {
  return DOSSIER_ACTIONS.filter((a) => nextStatus(status, a) !== null);
}

/** Whether taking the action on a dossier whose open step is `kind` approves it. */
export function approvesAt(action: ActionName, kind: StepKind | null): boolean {
  const spec: AnySpec = ACTIONS[action];
  return spec.kind === 'handover' && kind !== null && spec.approvesAt.includes(kind);
}

/** Whether the dossier's state allows the action at all (status and its own condition). */
export function stateAllows(
  action: ActionName,
  d: Pick<DossierRow, 'status'> & ConditionFacts,
): boolean {
  const spec: AnySpec = ACTIONS[action];
  if (!spec.from.includes(d.status as DossierStatus)) return false;
  return spec.kind !== 'workflow' || !spec.onlyIf || spec.onlyIf(d);
}
