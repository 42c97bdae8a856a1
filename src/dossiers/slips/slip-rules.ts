import type { SlipKind } from '../record/index.js';

/**
 * Which slips a dossier has, given what happened to it (docs/DOMAIN.md §8). Pure. Who may print
 * which (a new receipt is the counter's alone) is the policy's.
 */
export function slipsFor(
  d: {
    intake_outcome: string;
    status: string;
    code: string | null;
    rescheduled_due_on: string | null;
    supplement_requested_at: string | null;
  },
  events: { action: string }[],
): SlipKind[] {
  const slips: SlipKind[] = [];
  // Once returned, the appointment slip has done its work: no reprint (and no new lookup key).
  if (d.intake_outcome === 'accepted')
    slips.push(
      ...(d.status === 'returned'
        ? (['control', 'return'] as const)
        : (['receipt', 'control'] as const)),
    );
  if (d.intake_outcome === 'guided' || events.some((e) => e.action === 'request_supplement'))
    slips.push('supplement');
  if (d.intake_outcome === 'refused' || d.status === 'refused') slips.push('refusal');
  if (d.rescheduled_due_on) slips.push('apology');
  if (d.status === 'stopped' || d.status === 'withdrawn') slips.push('stop');
  return slips;
}
