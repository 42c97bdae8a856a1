/**
 * A dossier's statuses (docs/ARCHITECTURE.md "Status workflow") and its outcome. Pure. Which
 * action moves a dossier from which status to which is the action table's
 * (actions/action-table.ts).
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

/** Open: the office still owes the citizen a result; the clock runs (or is paused). */
export const OPEN_STATUSES: readonly DossierStatus[] = [
  'received',
  'processing',
  'supplement_requested',
];

export type Outcome = 'early' | 'on_time' | 'late';

/**
 * Early / on time / late, fixed when the result is ready (docs/DOMAIN.md §6): the result's
 * local date against the appointment date. A rescheduled dossier stays late.
 */
export function classifyOutcome(resultOn: string, dueOn: string, rescheduled: boolean): Outcome {
  if (rescheduled || resultOn > dueOn) return 'late';
  return resultOn < dueOn ? 'early' : 'on_time';
}
