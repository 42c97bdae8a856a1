import { describe, expect, it } from 'vitest';
import {
  compare,
  comparisonReport,
  ratioOf,
  type Figure,
  type HistoryLine,
  type RunInfo,
} from '../../bench/history.js';

/** The bench's memory: each figure against the same scenario in the previous run of its mode. */
const machine = { cpus: 2, model: 'x', memory_gib: 24, os: 'Linux', node: 'v20' };
const run = (at: string, mode: string, commit: string): RunInfo => ({
  run: at,
  mode,
  commit,
  dirty: false,
  machine,
  baseline: { rps: 9000, p50: 3, p99: 12 },
  dossiers: 1_000_000,
});
const figure = (
  scenario: string,
  value: number,
  baselineRps: number,
  more: Partial<Figure> = {},
): Figure => {
  const better = more.better ?? 'higher';
  return {
    scenario,
    value,
    unit: better === 'higher' ? 'req/s' : 'ms',
    better,
    ratio: ratioOf(value, better, baselineRps),
    ...more,
  };
};
const line = (info: RunInfo, f: Figure): HistoryLine => ({ ...info, ...f });

describe('the bench history', () => {
  const before = run('2026-12-04T21:23:17.151Z', 'full', '6716f5a');
  const now = run('2026-12-04T21:45:30.000Z', 'full', '31830ad');

  it('compares with the latest earlier run of the same mode only', () => {
    const history = [
      line(run('2026-12-01T00:00:00.000Z', 'full', 'old'), figure('board', 100, 10_000)),
      line(before, figure('board', 200, 10_000)),
      line(run('2026-12-04T21:30:00.000Z', 'quick', 'q'), figure('board', 900, 10_000)),
    ];
    const [c] = compare(history, now, [figure('board', 150, 10_000)]);
    expect(c!.previous!.commit).toBe('6716f5a');
    expect(c!.change).toBeCloseTo(0.75);
    expect(c!.regression).toBe(true);
  });

  it('names a regression by its ratio, and says when the figure itself and its CPU got better', () => {
    // The full runs of 6716f5a and 31830ad: the baseline measured beside the scenario answered
    // 5,401 req/s in the first (half the run's), so its ratio was high.
    const history = [
      line(before, figure('(f) month report (one office), alone', 59.2, 5401, { cpu_us: 20_861 })),
    ];
    const comparisons = compare(history, now, [
      figure('(f) month report (one office), alone', 78, 10_023, { cpu_us: 15_526 }),
    ]);
    expect(comparisons[0]!.regression).toBe(true);
    const report = comparisonReport(now, comparisons);
    expect(report).toContain('**Regressions**');
    expect(report).toContain('29 % worse');
    expect(report).toContain('the figure itself 59.2 → 78.0 req/s (better by 32 %)');
    expect(report).toContain('server CPU per request 20,861 → 15,526 µs (-26 %)');
    expect(report).toContain('divided by a baseline of 10,023 req/s, 5,401 before');
  });

  it('says when a time got worse itself, and names nothing within 20 %', () => {
    const history = [
      line(before, figure('ticket p99', 40, 10_000, { better: 'lower' })),
      line(before, figure('lookup', 2000, 10_000)),
    ];
    const comparisons = compare(history, now, [
      figure('ticket p99', 60, 10_000, { better: 'lower' }),
      figure('lookup', 1700, 10_000),
    ]);
    expect(comparisons.map((c) => c.regression)).toEqual([true, false]);
    const report = comparisonReport(now, comparisons);
    expect(report).toContain('- ticket p99: ');
    expect(report).toContain('the figure itself 40.0 → 60.0 ms (worse by 33 %)');
    expect(report).not.toContain('- lookup:');
  });

  it('says so when nothing regressed', () => {
    const history = [line(before, figure('lookup', 2000, 10_000))];
    const report = comparisonReport(now, compare(history, now, [figure('lookup', 2100, 10_000)]));
    expect(report).toContain('No regression of more than 20 % against the previous full run.');
  });
});
