import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  percentile,
  tallySteps,
  type FinishedStepRow,
  type OpenStepAlertRow,
} from '../../../src/reports/step-tally.js';

const units = [null, 1, 2] as const;
const people = [null, 7, 8, 9] as const;
const finishedRow = fc
  .record({
    kind: fc.constantFrom('reception', 'processing', 'approval', 'result', 'return'),
    unit_id: fc.constantFrom(...units),
    holder_account_id: fc.constantFrom(...people),
    outcome: fc.constantFrom('early', 'on_time', 'late', null),
    worked_minutes: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  })
  .map(
    (r) =>
      ({
        ...r,
        unit_name: r.unit_id === null ? null : `Đội ${r.unit_id}`,
        holder_name: r.holder_account_id === null ? null : `Cán bộ ${r.holder_account_id}`,
      }) as FinishedStepRow,
  );
const openRow = fc
  .record({
    unit_id: fc.constantFrom(...units),
    holder_account_id: fc.constantFrom(...people),
    alert: fc.constantFrom('overdue', 'at_risk'),
  })
  .map(
    (r) =>
      ({
        ...r,
        unit_name: r.unit_id === null ? null : `Đội ${r.unit_id}`,
        holder_name: r.holder_account_id === null ? null : `Cán bộ ${r.holder_account_id}`,
      }) as OpenStepAlertRow,
  );

describe('the per-step report figures', () => {
  it('agree with a row-by-row count on random histories', () => {
    fc.assert(
      fc.property(
        fc.array(finishedRow, { maxLength: 80 }),
        fc.array(openRow, { maxLength: 30 }),
        (finished, open) => {
          const report = tallySteps(finished, open, { counter: 'Một cửa', nobody: 'Chưa có' });
          for (const unit of units) {
            const key = unit === null ? 'counter' : String(unit);
            const row = report.byUnit.find((r) => r.key === key);
            const mine = finished.filter((f) => f.unit_id === unit);
            const openMine = open.filter((o) => o.unit_id === unit);
            if (mine.length + openMine.length === 0) {
              expect(row).toBeUndefined();
              continue;
            }
            expect(row).toMatchObject({
              finished: mine.length,
              early: mine.filter((f) => f.outcome === 'early').length,
              onTime: mine.filter((f) => f.outcome === 'on_time').length,
              late: mine.filter((f) => f.outcome === 'late').length,
              openOverdue: openMine.filter((o) => o.alert === 'overdue').length,
              openAtRisk: openMine.filter((o) => o.alert === 'at_risk').length,
            });
          }
          for (const person of people) {
            const row = report.byOfficer.find(
              (r) => r.key === (person === null ? 'nobody' : String(person)),
            );
            const mine = finished.filter((f) => f.holder_account_id === person);
            expect(row?.finished ?? 0).toBe(mine.length);
            expect(row?.late ?? 0).toBe(mine.filter((f) => f.outcome === 'late').length);
          }
          for (const k of report.byKind) {
            const minutes = finished
              .filter((f) => f.kind === k.kind && f.worked_minutes !== null)
              .map((f) => f.worked_minutes!)
              .sort((a, b) => a - b);
            expect(k.count).toBe(minutes.length);
            // Nearest rank: at least half (90 %) of the values are at or below it, and it is one of them.
            expect(minutes.filter((m) => m <= k.medianMinutes!).length).toBeGreaterThanOrEqual(
              minutes.length / 2,
            );
            expect(minutes.filter((m) => m < k.medianMinutes!).length).toBeLessThan(
              minutes.length / 2,
            );
            expect(minutes.filter((m) => m <= k.p90Minutes!).length).toBeGreaterThanOrEqual(
              minutes.length * 0.9,
            );
            expect(minutes.filter((m) => m < k.p90Minutes!).length).toBeLessThan(
              minutes.length * 0.9,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([30], 0.9)).toBe(30);
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
