/**
 * The bench's output: the Markdown tables of a run, its figures for the history, and the
 * generated sections of docs/BENCHMARKS.md.
 */
import type { EngineScenario } from './engines.js';
import type { Row } from './harness.js';
import type { ImportFigure } from './import.js';
import { ratioOf, type Figure } from './history.js';

export interface RunResults {
  rows: Row[];
  startupMs: number;
  exports: {
    /** What was exported, e.g. "a year of the largest office". */
    range: string;
    csv: ExportTiming;
    xlsx: ExportTiming;
  };
  drained: { messages: number; seconds: number; failed: number };
  fanOut: {
    displays: number;
    calls: number;
    missed: number;
    p50: number;
    p99: number;
    max: number;
  };
  imports: ImportFigure[];
  engines: {
    version: string;
    load: { rows: number; seconds: number };
    scenarios: EngineScenario[];
  } | null;
}

/**
 * One export's timings in a fresh server process: its first request (`ms`: cold code, cold
 * caches; the figure of runs before 2026-12-04) and the median of the next ones (`warmMs`: what
 * a running office's server answers). Peak RSS is after all of them.
 */
export interface ExportTiming {
  ms: number;
  warmMs: number;
  rows: number;
  rssMb: number;
  bytes: number;
}

/** The baseline's CPU per request ÷ the row's: the share of the bare route's efficiency it keeps. */
export function cpuRatio(row: Row): number | null {
  return row.cpuUs && row.baselineCpuUs ? row.baselineCpuUs / row.cpuUs : null;
}

/** The unmeasured window of the same load before a row (harness.ts, `Row.warmUp`). */
function warmUpCell(row: Row): string {
  return row.warmUp ? `${fmt(row.warmUp.rps)}, ${fmt(row.warmUp.p99, 1)}` : '';
}

/** Requests timed after an export's first one; their median is its warm figure. */
export const WARM_EXPORTS = 3;

export const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function mainTable(r: RunResults): string {
  const { csv, xlsx } = r.exports;
  // The warm-up's column only in a run that had warm-ups (BENCH_WARMUP_SECONDS).
  const warm = r.rows.some((row) => row.warmUp);
  const w = (cell: string) => (warm ? ` ${cell} |` : '');
  return [
    `| scenario | conns | req/s | p50 ms | p99 ms | ramp ms |${w('warm-up before it: req/s, p99 ms')} errors | baseline req/s | × baseline | server CPU µs/req | CPU × baseline | peak RSS MB |`,
    `|---|---:|---:|---:|---:|---:|${w('---:')}---:|---:|---:|---:|---:|---:|`,
    ...r.rows.map(
      (row) =>
        `| ${row.name}${row.note ? `: ${row.note}` : ''} | ${row.connections} | ${fmt(row.rps)} | ${fmt(row.p50, 1)} | ${fmt(row.p99, 1)} | ${row.rampMs == null ? '' : fmt(row.rampMs)} |${w(warmUpCell(row))} ${row.errors} | ${fmt(row.baselineRps ?? row.rps)} | ${row.ratio === null ? '1.00' : fmt(row.ratio, 2)} | ${row.cpuUs === null ? '' : fmt(row.cpuUs)} | ${cpuRatio(row) === null ? '' : fmt(cpuRatio(row)!, 2)} | ${row.rssMb} |`,
    ),
    ...(
      [
        [`(g) tracking book CSV, ${r.exports.range}`, csv],
        ['(g) tracking book XLSX, same rows', xlsx],
      ] as const
    ).map(
      ([name, e]) =>
        `| ${name} | 1 | ${fmt(e.rows / (e.warmMs / 1000))} rows/s | ${fmt(e.warmMs)} ms total (median of ${WARM_EXPORTS} after the first; the first: ${fmt(e.ms)} ms, ${fmt(e.rows / (e.ms / 1000))} rows/s) | | |${w('')} 0 | | | | | ${e.rssMb} |`,
    ),
    `| (i) outbox drained by one sender (HTTP SMS gateway and ZNS on loopback) | 1 | ${fmt(r.drained.messages / r.drained.seconds)} messages/s | ${fmt(r.drained.seconds * 1000)} ms for ${fmt(r.drained.messages)} | | |${w('')} ${r.drained.failed} | | | | | |`,
    `| (k) call display fan-out: ${r.fanOut.calls} calls to ${r.fanOut.displays} connected displays (SSE) | ${r.fanOut.displays} | | ${fmt(r.fanOut.p50, 1)} ms to the last display | ${fmt(r.fanOut.p99, 1)} (max ${fmt(r.fanOut.max, 1)}) | |${w('')} ${r.fanOut.missed} | | | | | |`,
    ...r.imports.map(
      (f) =>
        `| ${f.name} | 1 | ${fmt(f.rows / f.seconds)} rows/s | ${fmt(f.seconds * 1000)} ms total (${fmt(f.imported)} added) | | |${w('')} 0 | | | | | ${f.peakMb} |`,
    ),
  ].join('\n');
}

export function enginesTable(r: RunResults): string {
  if (!r.engines) return '_PostgreSQL half skipped (BENCH_POSTGRES=0)._';
  const cell = (row: Row | undefined) =>
    row
      ? `${fmt(row.rps)} req/s, p99 ${fmt(row.p99, 1)} ms${row.errors ? `, ${row.errors} errors` : ''}${row.warmUp ? ` (warm-up: ${warmUpCell(row)})` : ''}`
      : '';
  return [
    `PostgreSQL ${r.engines.version}: ${fmt(r.engines.load.rows)} rows loaded with COPY in ${fmt(r.engines.load.seconds)} s (throwaway cluster on this machine, fsync and synchronous_commit on).`,
    '',
    '| scenario | SQLite, 1 process | PostgreSQL, 1 process | PostgreSQL, 2 processes | PG 1 ÷ SQLite |',
    '|---|---|---|---|---:|',
    ...r.engines.scenarios.map(
      (e) =>
        `| ${e.name} | ${cell(e.sqlite)} | ${cell(e.pg1)} | ${cell(e.pg2)} | ${e.sqlite && e.pg1 ? fmt(e.pg1.rps / e.sqlite.rps, 2) : ''} |`,
    ),
  ].join('\n');
}

/**
 * The run's baseline: the median of the bare-Express figures taken through the run (row (a) and
 * the moments before each scenario), for the figures that have no baseline of their own.
 */
export function runBaseline(rows: Row[]): number {
  const all = [rows[0]!.rps, ...rows.map((r) => r.baselineRps ?? 0).filter((b) => b > 0)].sort(
    (a, b) => a - b,
  );
  return all[Math.floor(all.length / 2)]!;
}

/** Every figure of the run, as the history keeps them (see history.ts). */
export function figuresOf(r: RunResults): Figure[] {
  const base = runBaseline(r.rows);
  const figure = (
    scenario: string,
    value: number,
    unit: string,
    better: 'higher' | 'lower',
    extra: Partial<Figure> = {},
  ): Figure => ({
    scenario,
    value: Math.round(value * 10) / 10,
    unit,
    better,
    ratio: Number(ratioOf(value, better, base).toPrecision(4)),
    ...extra,
  });
  const fromRow = (scenario: string, row: Row) =>
    figure(scenario, row.rps, 'req/s', 'higher', {
      // The ratio to the baseline taken just before the row, when there is one.
      ...(row.baselineRps ? { ratio: Number((row.rps / row.baselineRps).toPrecision(4)) } : {}),
      connections: row.connections,
      ...(row.cpuUs ? { cpu_us: row.cpuUs } : {}),
      ...(cpuRatio(row) ? { cpu_ratio: Number(cpuRatio(row)!.toPrecision(4)) } : {}),
      p50: row.p50,
      p99: row.p99,
      ...(row.rampMs != null ? { ramp_ms: row.rampMs } : {}),
      ...(row.warmUp
        ? {
            warmup_s: row.warmUp.seconds,
            warmup_rps: row.warmUp.rps,
            warmup_p99: row.warmUp.p99,
          }
        : {}),
      errors: row.errors,
      rss_mb: row.rssMb,
    });
  const { csv, xlsx } = r.exports;
  const figures: Figure[] = [
    figure('start-up of the real server', r.startupMs, 'ms', 'lower'),
    ...r.rows.map((row) => fromRow(row.name, row)),
    // The first request keeps the series' old name (it is what earlier runs measured).
    figure('(g) tracking book CSV', csv.rows / (csv.ms / 1000), 'rows/s', 'higher', {
      rss_mb: csv.rssMb,
    }),
    figure('(g) tracking book CSV, warm', csv.rows / (csv.warmMs / 1000), 'rows/s', 'higher'),
    figure('(g) tracking book XLSX', xlsx.rows / (xlsx.ms / 1000), 'rows/s', 'higher', {
      rss_mb: xlsx.rssMb,
    }),
    figure('(g) tracking book XLSX, warm', xlsx.rows / (xlsx.warmMs / 1000), 'rows/s', 'higher'),
    figure(
      '(i) outbox drained by one sender',
      r.drained.messages / r.drained.seconds,
      'messages/s',
      'higher',
      {
        errors: r.drained.failed,
      },
    ),
    figure(
      `(k) call display fan-out to ${r.fanOut.displays} displays`,
      r.fanOut.p50,
      'ms',
      'lower',
      {
        p50: r.fanOut.p50,
        p99: r.fanOut.p99,
        errors: r.fanOut.missed,
      },
    ),
    ...r.imports.map((f) =>
      figure(f.name, f.rows / f.seconds, 'rows/s', 'higher', { rss_mb: f.peakMb }),
    ),
  ];
  for (const e of r.engines?.scenarios ?? []) {
    if (e.pg1) figures.push(fromRow(`PostgreSQL, 1 process: ${e.name}`, e.pg1));
    if (e.pg2) figures.push(fromRow(`PostgreSQL, 2 processes: ${e.name}`, e.pg2));
  }
  return figures;
}
