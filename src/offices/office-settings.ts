/**
 * What an office may set about its queue (docs/ARCHITECTURE.md "Queue"). Pure data: the office
 * page offers these, and the queue reads the office's choice.
 */

/** Who may take a priority ticket, as the office's rule lists them (`elderly,disabled`). */
export const PRIORITY_REASONS = ['elderly', 'disabled', 'pregnant', 'child', 'veteran'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];
