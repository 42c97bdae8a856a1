import { describe, expect, it } from 'vitest';
import type { Row } from '../../bench/harness.js';
import { enginesTable, figuresOf, mainTable, type RunResults } from '../../bench/tables.js';

/** The bench's tables: every row measured after a warm-up shows that window beside its own. */
const row = (name: string, more: Partial<Row> = {}): Row => ({
  name,
  connections: 32,
  rps: 1000,
  p50: 30,
  p99: 58.2,
  errors: 0,
  ratio: 0.1,
  baselineRps: 10_000,
  cpuUs: 1100,
  baselineCpuUs: 110,
  rssMb: 300,
  rampMs: 120,
  ...more,
});
const timing = { ms: 100, warmMs: 50, rows: 5000, rssMb: 200, bytes: 1 };

function results(rows: Row[], pg: Row | undefined): RunResults {
  return {
    rows,
    startupMs: 900,
    exports: { range: 'a year of the largest office', csv: timing, xlsx: timing },
    drained: { messages: 100, seconds: 1, failed: 0 },
    fanOut: { displays: 100, calls: 40, missed: 0, p50: 10, p99: 12, max: 13 },
    imports: [{ name: '(h) import', rows: 10, seconds: 1, imported: 10, peakMb: 100 }],
    engines: pg
      ? {
          version: '15',
          load: { rows: 10, seconds: 1 },
          scenarios: [{ name: '(d) intake', sqlite: rows[1], pg1: pg, pg2: pg }],
        }
      : null,
  };
}

describe('the bench tables with warm-ups', () => {
  const warmed = row('(d) intake POST', { warmUp: { seconds: 10, rps: 820.4, p99: 66.5 } });
  const cold = row('(a) bare Express "hello" (baseline)', { ratio: null, warmUp: null });
  const r = results([cold, warmed], row('pg', { warmUp: { seconds: 10, rps: 399, p99: 152 } }));

  it('shows the warm-up window of a row beside its own figures, in a column of its own', () => {
    const lines = mainTable(r).split('\n');
    const header = lines[0]!.split('|').length;
    for (const l of lines) expect(l.split('|').length).toBe(header);
    const intake = lines.find((l) => l.startsWith('| (d) intake POST'))!;
    const cells = intake.split('|').map((c) => c.trim());
    const column = lines[0]!
      .split('|')
      .map((c) => c.trim())
      .indexOf('warm-up before it: req/s, p99 ms');
    expect(column).toBeGreaterThan(0);
    expect(cells[column]).toBe('820, 66.5');
    const baseline = lines.find((l) => l.startsWith('| (a) bare'))!.split('|');
    expect(baseline[column]!.trim()).toBe('');
  });

  it('has no warm-up column in a run without warm-ups (the modes full and quick)', () => {
    const lines = mainTable(results([cold, row('(d) intake POST')], undefined)).split('\n');
    expect(lines[0]).not.toContain('warm-up');
    const header = lines[0]!.split('|').length;
    for (const l of lines) expect(l.split('|').length).toBe(header);
    expect(lines.find((l) => l.startsWith('| (d) intake POST'))).toBe(
      '| (d) intake POST | 32 | 1,000 | 30.0 | 58.2 | 120 | 0 | 10,000 | 0.10 | 1,100 | 0.10 | 300 |',
    );
  });

  it('names the warm-up in the engines table', () => {
    expect(enginesTable(r)).toContain(
      '| (d) intake | 1,000 req/s, p99 58.2 ms (warm-up: 820, 66.5) | 1,000 req/s, p99 58.2 ms (warm-up: 399, 152.0) | 1,000 req/s, p99 58.2 ms (warm-up: 399, 152.0) |',
    );
  });

  it('keeps the warm-up in the history, and nothing for a row without one', () => {
    const figures = figuresOf(r);
    const intake = figures.find((f) => f.scenario === '(d) intake POST')!;
    expect(intake).toMatchObject({ warmup_s: 10, warmup_rps: 820.4, warmup_p99: 66.5, p99: 58.2 });
    const baseline = figures.find((f) => f.scenario.startsWith('(a) bare'))!;
    expect(baseline).not.toHaveProperty('warmup_rps');
  });
});
