/**
 * The dossier workflow (docs/ARCHITECTURE.md "Status workflow"): which action may move a dossier from which
 * status to which. Pure data and functions; the service checks every transition here.
 */
export const DOSSIER_STATUSES = [
  'received',
  'processing',
  'supplement_requested',
  'result_ready',
  'returned',
  'refused',
  'withdrawn',
  'stopped',
  // Not accepted at the counter: the citizen was guided to complete the papers (no code, no clock).
  'guided',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const DOSSIER_ACTIONS = [
  'start_processing',
  'request_supplement',
  'receive_supplement',
  'mark_result_ready',
  'return_result',
  'reschedule',
  'refuse',
  'stop',
  'withdraw',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** Open: the office still owes the citizen a result; the clock runs (or is paused). */
export const OPEN_STATUSES: readonly DossierStatus[] = [
  'received',
  'processing',
  'supplement_requested',
];

const TRANSITIONS: Record<
  DossierAction,
  { from: readonly DossierStatus[]; to: DossierStatus | 'same' }
> = {
  start_processing: { from: ['received'], to: 'processing' },
  request_supplement: { from: ['received', 'processing'], to: 'supplement_requested' },
  receive_supplement: { from: ['supplement_requested'], to: 'processing' },
  mark_result_ready: { from: ['received', 'processing'], to: 'result_ready' },
  return_result: { from: ['result_ready'], to: 'returned' },
  reschedule: { from: OPEN_STATUSES, to: 'same' },
  refuse: { from: ['received', 'processing'], to: 'refused' },
  stop: { from: OPEN_STATUSES, to: 'stopped' },
  withdraw: {
    from: ['received', 'processing', 'supplement_requested', 'result_ready'],
    to: 'withdrawn',
  },
};

/** The status an action leads to from `status`, or null when the action is not allowed there. */
export function nextStatus(status: DossierStatus, action: DossierAction): DossierStatus | null {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) return null;
  return rule.to === 'same' ? status : rule.to;
}

/** Actions possible from a status (before action-specific conditions such as "once"). */
export function actionsFrom(status: DossierStatus): DossierAction[] {
  return DOSSIER_ACTIONS.filter((a) => nextStatus(status, a) !== null);
}

export function isDossierAction(text: string): text is DossierAction {
  return (DOSSIER_ACTIONS as readonly string[]).includes(text);
}

export type Outcome = 'early' | 'on_time' | 'late';

/**
 * Early / on time / late, fixed when the result is ready (docs/DOMAIN.md §6): the result's
 * local date against the appointment date. A rescheduled dossier stays late.
 */
export function classifyOutcome(resultOn: string, dueOn: string, rescheduled: boolean): Outcome {
  if (rescheduled || resultOn > dueOn) return 'late';
  return resultOn < dueOn ? 'early' : 'on_time';
}
