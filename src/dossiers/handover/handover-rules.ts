import type { StepKind } from '../../db/schema.js';

/**
 * Where a handover leads (docs/ARCHITECTURE.md "Handover"). Pure. Who may do it is the dossier
 * policy's (policy/dossier-policy.ts), from the action table's `who`.
 */

/** The step a handover opens from `from` (hand_over: processing, then approval unless told). */
export function handOverTarget(from: StepKind | null, toStep: string): StepKind | null {
  if (from === null || from === 'reception')
    return toStep === '' || toStep === 'processing' ? 'processing' : null;
  if (from === 'processing')
    return toStep === 'processing'
      ? 'processing'
      : toStep === '' || toStep === 'approval'
        ? 'approval'
        : null;
  return null;
}

/** The step rework goes back to. */
export function reworkTarget(from: StepKind): StepKind | null {
  return from === 'processing'
    ? 'reception'
    : from === 'approval'
      ? 'processing'
      : from === 'result'
        ? 'approval'
        : null;
}
