import type { DayInfo, DueDate } from '../../calendar/working-days.js';

/**
 * Why a dossier's appointment falls on its day, as stored with the dossier: the working days
 * counted and the days passed over. Stored, not recomputed, so a later change of the calendar
 * never rewrites an explanation already printed on a receipt. Pure.
 */
export interface StoredDueExplanation {
  receivedOn: string;
  processingDays: number;
  dueOn: string;
  dueAt: string;
  countedDays: { day: string; kind: string; name?: string }[];
  skippedDays: { day: string; kind: string; name?: string }[];
  movedToNextWorkingDay: boolean;
  /** The same-day cut-off that moved the date (stored since round 4; older ones lack it). */
  cutoffTime?: string;
  /** Why the date was (re)computed: intake, or the clock policy after a supplement. */
  basis?: 'intake' | 'supplement_restart' | 'supplement_pause' | 'import' | 'intake_corrected';
  /** A corrected intake's procedure changed: the date and procedure it replaced. */
  correctedFrom?: { dueOn: string; procedureName: string; processingDays: number };
  pausedWorkingDays?: number;
  /** Counted with projected holidays: the year's official schedule was not confirmed yet. */
  provisional?: boolean;
}

export function serializeDue(
  due: DueDate,
  basis: StoredDueExplanation['basis'] = 'intake',
): StoredDueExplanation {
  return {
    receivedOn: due.receivedOn,
    processingDays: due.processingDays,
    dueOn: due.dueOn,
    dueAt: due.dueAt.toISOString(),
    countedDays: due.countedDays,
    skippedDays: due.skippedDays,
    movedToNextWorkingDay: due.movedToNextWorkingDay,
    ...(due.cutoffTime ? { cutoffTime: due.cutoffTime } : {}),
    basis,
    ...(due.provisional ? { provisional: true } : {}),
  };
}

/** How the due date was computed, as stored with the dossier (null when it has none). */
export function dueExplanationOf(dossier: {
  due_explanation: string | null;
}): StoredDueExplanation | null {
  return dossier.due_explanation
    ? (JSON.parse(dossier.due_explanation) as StoredDueExplanation)
    : null;
}

export interface SkippedRun {
  from: string;
  to: string;
  kind: string;
  name?: string;
}

/** Days passed over, grouped into runs for a readable explanation ("25/01–02/02 Tết Nguyên đán"). */
export function groupSkippedDays(
  days: (Pick<DayInfo, 'day' | 'name'> & { kind: string })[],
): SkippedRun[] {
  const runs: SkippedRun[] = [];
  for (const d of days) {
    const last = runs.at(-1);
    const next = last
      ? new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      : null;
    if (last && next === d.day && last.kind === d.kind && last.name === d.name) last.to = d.day;
    else runs.push({ from: d.day, to: d.day, kind: d.kind, ...(d.name ? { name: d.name } : {}) });
  }
  return runs;
}
