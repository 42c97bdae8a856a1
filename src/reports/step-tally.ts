import { compareVietnamese } from '../lib/fold.js';
import type { StepKind } from '../db/schema.js';

/**
 * The per-step figures of the report (docs/ARCHITECTURE.md "Handover"), from plain rows. Pure:
 * steps finished in the period (with their outcome and the working minutes they took) and the
 * steps open at the report's instant (overdue or at risk) are given.
 */
export interface FinishedStepRow {
  kind: StepKind;
  unit_id: number | null;
  unit_name: string | null;
  holder_account_id: number | null;
  holder_name: string | null;
  outcome: 'early' | 'on_time' | 'late' | null;
  worked_minutes: number | null;
}

export interface OpenStepAlertRow {
  unit_id: number | null;
  unit_name: string | null;
  holder_account_id: number | null;
  holder_name: string | null;
  alert: 'overdue' | 'at_risk';
}

export interface StepCounts {
  key: string;
  label: string;
  finished: number;
  early: number;
  onTime: number;
  late: number;
  openOverdue: number;
  openAtRisk: number;
}

export interface StepDuration {
  kind: StepKind;
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

/** Nearest-rank percentile (p in (0, 1]) of values; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const KINDS: StepKind[] = ['reception', 'processing', 'approval', 'result', 'return'];

export function tallySteps(
  finished: FinishedStepRow[],
  open: OpenStepAlertRow[],
  labels: { counter: string; nobody: string },
) {
  const group = (
    keyOf: (r: {
      unit_id: number | null;
      unit_name: string | null;
      holder_account_id: number | null;
      holder_name: string | null;
    }) => [string, string],
  ) => {
    const rows = new Map<string, StepCounts>();
    const row = (r: Parameters<typeof keyOf>[0]) => {
      const [key, label] = keyOf(r);
      let counts = rows.get(key);
      if (!counts)
        rows.set(
          key,
          (counts = {
            key,
            label,
            finished: 0,
            early: 0,
            onTime: 0,
            late: 0,
            openOverdue: 0,
            openAtRisk: 0,
          }),
        );
      return counts;
    };
    for (const f of finished) {
      const c = row(f);
      c.finished += 1;
      if (f.outcome === 'early') c.early += 1;
      else if (f.outcome === 'on_time') c.onTime += 1;
      else if (f.outcome === 'late') c.late += 1;
    }
    for (const o of open) {
      const c = row(o);
      if (o.alert === 'overdue') c.openOverdue += 1;
      else c.openAtRisk += 1;
    }
    return [...rows.values()].sort((a, b) => compareVietnamese(a.label, b.label));
  };
  const byUnit = group((r) =>
    r.unit_id === null
      ? ['counter', labels.counter]
      : [String(r.unit_id), r.unit_name ?? String(r.unit_id)],
  );
  const byOfficer = group((r) =>
    r.holder_account_id === null
      ? ['nobody', labels.nobody]
      : [String(r.holder_account_id), r.holder_name ?? String(r.holder_account_id)],
  );
  const byKind: StepDuration[] = KINDS.map((kind) => {
    const minutes = finished
      .filter((f) => f.kind === kind && f.worked_minutes !== null)
      .map((f) => f.worked_minutes!);
    return {
      kind,
      count: minutes.length,
      medianMinutes: percentile(minutes, 0.5),
      p90Minutes: percentile(minutes, 0.9),
    };
  }).filter((k) => k.count > 0);
  return { byUnit, byOfficer, byKind };
}

export type StepReport = ReturnType<typeof tallySteps>;
