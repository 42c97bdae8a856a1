/**
 * The bench's memory: every run appends its figures to bench/history.jsonl (committed), one JSON
 * line per figure with the run's date, mode, commit, machine and baseline, and compares each
 * figure's ratio with the previous comparable run (same mode): a figure more than 20 % worse is
 * named a regression, in the output and in docs/BENCHMARKS.md.
 *
 * The ratio puts every figure on the same footing whatever the machine's load, oriented so that
 * higher is better: a throughput divided by the bare-Express baseline's requests per second (the
 * same run's; for an HTTP scenario, the baseline taken just before it), or for a time (lower is
 * better) the baseline's time per request divided by it. HTTP scenarios also keep the server's
 * CPU time per request and its ratio to the baseline's, which other work on the machine hardly
 * moves: a fall of the req/s ratio without a fall of the CPU ratio is most likely noise.
 *
 * A regression is named by its ratio, whatever else moved, but its line says what else did: the
 * figure itself and the server's CPU time per request, each against the previous run, and the
 * baseline it was divided by. The baseline measured beside one scenario can be an outlier (a
 * busy second): then the ratio falls while the figure itself and its CPU time got better.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export const HISTORY_FILE = 'bench/history.jsonl';
/** A figure whose ratio fell by more than this against the previous comparable run is a regression. */
export const REGRESSION = 0.2;

export interface Machine {
  cpus: number;
  model: string;
  memory_gib: number;
  os: string;
  node: string;
}

export interface RunInfo {
  /** When the run started (ISO, UTC): all figures of one run share it. */
  run: string;
  /** 'full' (1,000,000 dossiers, 10 s), 'quick' (100,000, 3 s) or 'custom-…': only like compares with like. */
  mode: string;
  commit: string | null;
  /** Uncommitted changes in the worktree when the run started. */
  dirty: boolean;
  machine: Machine;
  baseline: { rps: number; p50: number; p99: number };
  dossiers: number;
  note?: string;
}

export interface Figure {
  scenario: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  /** Against the baseline, higher is better (see the file's comment); null when it has none. */
  ratio: number | null;
  connections?: number;
  /** The server's CPU time per request (µs) and the baseline's ÷ it (see harness.ts). */
  cpu_us?: number;
  cpu_ratio?: number;
  p50?: number;
  p99?: number;
  /** Until every connection had had an answer (ms); p50, p99 and req/s are after it (harness.ts). */
  ramp_ms?: number;
  /** The same load's unmeasured first window just before (harness.ts, `Row.warmUp`). */
  warmup_s?: number;
  warmup_rps?: number;
  warmup_p99?: number;
  errors?: number;
  rss_mb?: number;
}

export type HistoryLine = RunInfo & Figure;

/** The ratio of a figure to the baseline's requests per second (see the file's comment). */
export function ratioOf(value: number, better: 'higher' | 'lower', baselineRps: number): number {
  if (!(value > 0) || !(baselineRps > 0)) return 0;
  return better === 'higher' ? value / baselineRps : 1000 / baselineRps / value;
}

export function machineNow(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** The commit checked out, and whether the worktree had changes besides the bench's own outputs. */
export function gitState(): { commit: string | null; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((l) => l.trim() && !/ (bench\/history\.jsonl|docs\/BENCHMARKS\.md)$/.test(l));
    return { commit, dirty: changes.length > 0 };
  } catch {
    return { commit: null, dirty: false };
  }
}

export function readHistory(file = HISTORY_FILE): HistoryLine[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as HistoryLine);
}

export function appendHistory(info: RunInfo, figures: Figure[], file = HISTORY_FILE): void {
  const lines = figures.map((f) => JSON.stringify({ ...info, ...f }));
  fs.appendFileSync(file, `${lines.join('\n')}\n`);
}

export interface Comparison {
  figure: Figure;
  previous: HistoryLine | null;
  /** This ratio ÷ the previous one (1 = unchanged, 0.7 = 30 % worse); null without both. */
  change: number | null;
  regression: boolean;
}

/** Each figure beside the same scenario's figure in the latest earlier run of the same mode. */
export function compare(history: HistoryLine[], info: RunInfo, figures: Figure[]): Comparison[] {
  const earlier = history.filter((h) => h.mode === info.mode && h.run < info.run);
  return figures.map((figure) => {
    let previous: HistoryLine | null = null;
    for (const h of earlier)
      if (h.scenario === figure.scenario && h.unit === figure.unit && h.ratio !== null)
        if (!previous || h.run > previous.run) previous = h;
    const change =
      previous && figure.ratio !== null && previous.ratio ? figure.ratio / previous.ratio : null;
    return { figure, previous, change, regression: change !== null && change < 1 - REGRESSION };
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratioText = (r: number | null | undefined) =>
  r === null || r === undefined ? '' : r >= 0.1 ? fmt(r, 2) : r.toPrecision(2);

const percent = (change: number) => `${change >= 1 ? '+' : ''}${fmt((change - 1) * 100)} %`;

/** The baseline (req/s) a figure was divided by, from its ratio (see ratioOf). */
function baselineOf(f: Pick<Figure, 'value' | 'better' | 'ratio'>): number | null {
  if (!f.ratio || !(f.value > 0)) return null;
  return f.better === 'higher' ? f.value / f.ratio : 1000 / f.ratio / f.value;
}

/**
 * One regression's line: its ratio against the previous run's, then the figure itself, the
 * server's CPU time per request and the baseline beside it, each then and now.
 */
export function regressionLine(c: Comparison): string {
  const f = c.figure;
  const p = c.previous!;
  const digits = (n: number) => (n < 100 ? 1 : 0);
  const parts = [
    `${ratioText(f.ratio)} × baseline, was ${ratioText(p.ratio)} × on ${p.run.slice(0, 10)} (${p.commit}): ${fmt((1 - c.change!) * 100)} % worse`,
  ];
  // The figure itself, oriented as the ratio is: higher is better.
  const itself = f.better === 'higher' ? f.value / p.value : p.value / f.value;
  parts.push(
    `the figure itself ${fmt(p.value, digits(p.value))} → ${fmt(f.value, digits(f.value))} ${f.unit} (${itself >= 1 ? 'better' : 'worse'} by ${fmt(Math.abs(itself - 1) * 100)} %)`,
  );
  if (f.cpu_us && p.cpu_us)
    parts.push(
      `server CPU per request ${fmt(p.cpu_us)} → ${fmt(f.cpu_us)} µs (${percent(f.cpu_us / p.cpu_us)})`,
    );
  const before = baselineOf(p);
  const now = baselineOf(f);
  if (before && now)
    parts.push(`divided by a baseline of ${fmt(now)} req/s, ${fmt(before)} before`);
  return `- ${f.scenario}: ${parts.join('; ')}`;
}

/** The comparison as a Markdown table and the list of regressions (named one by one). */
export function comparisonReport(info: RunInfo, comparisons: Comparison[]): string {
  const previousRuns = [
    ...new Set(
      comparisons
        .filter((c) => c.previous)
        .map((c) => `${c.previous!.run} (${c.previous!.commit})`),
    ),
  ];
  const header = [
    `Run ${info.run}, mode \`${info.mode}\`, commit ${info.commit ?? 'unknown'}${info.dirty ? ' with uncommitted changes' : ''}; baseline ${fmt(info.baseline.rps)} req/s; ${info.machine.cpus} × ${info.machine.model}, ${info.machine.memory_gib} GiB.`,
    previousRuns.length
      ? `Compared with the previous ${info.mode} run: ${previousRuns.join(', ')}.`
      : `No earlier ${info.mode} run to compare with.`,
    '',
    '| scenario | figure | × baseline | previous × baseline | change | CPU × baseline | previous | change |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...comparisons.map((c) => {
      const cpu = c.figure.cpu_ratio;
      const before = c.previous?.cpu_ratio;
      return `| ${c.figure.scenario} | ${fmt(c.figure.value, c.figure.value < 100 ? 1 : 0)} ${c.figure.unit} | ${ratioText(c.figure.ratio)} | ${ratioText(c.previous?.ratio)} | ${c.change === null ? '' : `${percent(c.change)}${c.regression ? ' **regression**' : ''}`} | ${ratioText(cpu)} | ${ratioText(before)} | ${cpu && before ? percent(cpu / before) : ''} |`;
    }),
  ];
  const regressions = comparisons.filter((c) => c.regression);
  const list = regressions.length
    ? [
        `**Regressions** (more than ${REGRESSION * 100} % worse than the previous ${info.mode} run, as ratios to the baseline):`,
        ...regressions.map(regressionLine),
      ]
    : [`No regression of more than ${REGRESSION * 100} % against the previous ${info.mode} run.`];
  return [...header, '', ...list].join('\n');
}

/** Replaces the text between two `marker` lines of `doc` (or appends a section with them). */
export function replaceSection(doc: string, marker: string, body: string, heading: string): string {
  const block = `${marker}\n${body}\n${marker}`;
  const at = doc.indexOf(marker);
  const end = at < 0 ? -1 : doc.indexOf(marker, at + marker.length);
  if (at >= 0 && end >= 0) return doc.slice(0, at) + block + doc.slice(end + marker.length);
  return `${doc.trimEnd()}\n\n${heading}\n\n${block}\n`;
}
