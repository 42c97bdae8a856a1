/**
 * The service index of QĐ 766/QĐ-TTg as this office can compute it (docs/DOMAIN.md "The service
 * index"), pure: the groups and indicators with their points, how a ratio earns points, and the
 * totals. No I/O and no clock; the repository counts, this file scores.
 */

export type GroupCode = 'transparency' | 'progress' | 'online' | 'digitisation' | 'satisfaction';

export const GROUPS: { code: GroupCode; maxPoints: number }[] = [
  { code: 'transparency', maxPoints: 18 },
  { code: 'progress', maxPoints: 20 },
  { code: 'online', maxPoints: 22 },
  { code: 'digitisation', maxPoints: 22 },
  { code: 'satisfaction', maxPoints: 18 },
];

/** How a ratio earns points: in proportion, or in full from a target (in proportion below it). */
export type Scoring = { kind: 'proportional' } | { kind: 'target'; target: number };

/** What the indicator counts. */
export type Unit = 'dossiers' | 'procedures' | 'ratings';

/** The indicators counted from the office's own records. */
export const MEASURED_CODES = [
  'on_time',
  'online_filed',
  'payment_procedures',
  'payment_dossiers',
  'electronic_result',
  'digitised',
  'reused',
  'satisfaction',
] as const;
export type MeasuredCode = (typeof MEASURED_CODES)[number];

/** The indicators the app cannot know (shown "not measured here" with the reason). */
export const NOT_MEASURED_CODES = [
  'publication',
  'portal_sync',
  'transparency_other',
  'online_offered',
  'online_used',
  'portal_payment',
  'digitisation_other',
] as const;
export type NotMeasuredCode = (typeof NOT_MEASURED_CODES)[number];
export type IndicatorCode = MeasuredCode | NotMeasuredCode;

/**
 * Indicators whose numerator and denominator are dossiers, each listed by the drill-down; the
 * satisfaction counts ratings, and a dossier has at most one, so its rated dossiers are listed.
 */
export const DOSSIER_CODES = [
  'on_time',
  'online_filed',
  'payment_dossiers',
  'electronic_result',
  'digitised',
  'reused',
  'satisfaction',
] as const satisfies readonly MeasuredCode[];
export type DossierCode = (typeof DOSSIER_CODES)[number];

export interface IndicatorDef {
  code: IndicatorCode;
  group: GroupCode;
  maxPoints: number;
  /** Null for an indicator not measured here. */
  scoring: Scoring | null;
  unit: Unit;
}

const proportional: Scoring = { kind: 'proportional' };
const target = (t: number): Scoring => ({ kind: 'target', target: t });

/** The indicators in the order the scorecard lists them; points add up to each group's. */
export const INDICATORS: IndicatorDef[] = [
  { code: 'publication', group: 'transparency', maxPoints: 6, scoring: null, unit: 'procedures' },
  { code: 'portal_sync', group: 'transparency', maxPoints: 6, scoring: null, unit: 'dossiers' },
  {
    code: 'transparency_other',
    group: 'transparency',
    maxPoints: 6,
    scoring: null,
    unit: 'dossiers',
  },
  { code: 'on_time', group: 'progress', maxPoints: 20, scoring: proportional, unit: 'dossiers' },
  { code: 'online_offered', group: 'online', maxPoints: 2, scoring: null, unit: 'procedures' },
  { code: 'online_used', group: 'online', maxPoints: 4, scoring: null, unit: 'procedures' },
  { code: 'online_filed', group: 'online', maxPoints: 6, scoring: target(0.5), unit: 'dossiers' },
  {
    code: 'payment_procedures',
    group: 'online',
    maxPoints: 2,
    scoring: target(0.5),
    unit: 'procedures',
  },
  { code: 'portal_payment', group: 'online', maxPoints: 2, scoring: null, unit: 'procedures' },
  {
    code: 'payment_dossiers',
    group: 'online',
    maxPoints: 6,
    scoring: target(0.3),
    unit: 'dossiers',
  },
  {
    code: 'electronic_result',
    group: 'digitisation',
    maxPoints: 6,
    scoring: proportional,
    unit: 'dossiers',
  },
  {
    code: 'digitised',
    group: 'digitisation',
    maxPoints: 4,
    scoring: target(0.8),
    unit: 'dossiers',
  },
  { code: 'reused', group: 'digitisation', maxPoints: 2, scoring: target(0.8), unit: 'dossiers' },
  {
    code: 'digitisation_other',
    group: 'digitisation',
    maxPoints: 10,
    scoring: null,
    unit: 'dossiers',
  },
  {
    code: 'satisfaction',
    group: 'satisfaction',
    maxPoints: 18,
    scoring: proportional,
    unit: 'ratings',
  },
];

export function isDossierCode(code: string): code is DossierCode {
  return (DOSSIER_CODES as readonly string[]).includes(code);
}

/** A numerator and denominator counted from the records. */
export interface Count {
  numerator: number;
  denominator: number;
}

/** Points of a ratio under a scoring rule, to two decimals. */
export function pointsOf(ratio: number, scoring: Scoring, maxPoints: number): number {
  const share = scoring.kind === 'proportional' ? ratio : Math.min(1, ratio / scoring.target);
  return Math.round(share * maxPoints * 100) / 100;
}

export type IndicatorStatus = 'scored' | 'empty' | 'not_measured';

export interface IndicatorValue {
  def: IndicatorDef;
  status: IndicatorStatus;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  points: number | null;
}

/**
 * Every indicator of a period: the measured ones from their counts, the others "not measured
 * here" (no numbers at all, never zero); an empty denominator earns no points and no maximum.
 */
export function scoreIndicators(counts: Record<MeasuredCode, Count>): IndicatorValue[] {
  return INDICATORS.map((def) => {
    if (!def.scoring)
      return {
        def,
        status: 'not_measured',
        numerator: null,
        denominator: null,
        value: null,
        points: null,
      };
    const { numerator, denominator } = counts[def.code as MeasuredCode];
    if (denominator === 0)
      return { def, status: 'empty', numerator, denominator, value: null, points: null };
    const value = numerator / denominator;
    return {
      def,
      status: 'scored',
      numerator,
      denominator,
      value,
      points: pointsOf(value, def.scoring, def.maxPoints),
    };
  });
}

export interface Totals {
  /** Points earned on the scored indicators. */
  points: number;
  /** The points the scored indicators could earn. */
  scoredMax: number;
  /** Points of indicators with nothing to count in the period. */
  emptyMax: number;
  /** Points of indicators not measured here. */
  notMeasuredMax: number;
  /** All the indicators' points (the whole index for all groups: 100). */
  indexMax: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function totalsOf(values: IndicatorValue[]): Totals {
  const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));
  const max = (s: IndicatorStatus) =>
    sum(values.filter((v) => v.status === s).map((v) => v.def.maxPoints));
  return {
    points: sum(values.map((v) => v.points ?? 0)),
    scoredMax: max('scored'),
    emptyMax: max('empty'),
    notMeasuredMax: max('not_measured'),
    indexMax: sum(values.map((v) => v.def.maxPoints)),
  };
}

/** Each group's totals. */
export function groupTotals(values: IndicatorValue[]): ({ code: GroupCode } & Totals)[] {
  return GROUPS.map((g) => ({
    code: g.code,
    ...totalsOf(values.filter((v) => v.def.group === g.code)),
  }));
}

/**
 * Offices ranked on one measured indicator's value, or (`code` null) on the share of the
 * measurable points they earned (points ÷ points possible on what was scored): highest first,
 * ties sharing a rank, offices with nothing to rank on last and unranked.
 */
export function rankOn<T extends { totals: Totals; values: IndicatorValue[] }>(
  items: T[],
  code: MeasuredCode | null,
): (T & { key: number | null; rank: number | null })[] {
  const keyOf = (item: T) =>
    code === null
      ? item.totals.scoredMax > 0
        ? item.totals.points / item.totals.scoredMax
        : null
      : (item.values.find((v) => v.def.code === code)?.value ?? null);
  const keyed = items.map((item) => ({ ...item, key: keyOf(item), rank: null as number | null }));
  keyed.sort((a, b) =>
    a.key === null ? (b.key === null ? 0 : 1) : b.key === null ? -1 : b.key - a.key,
  );
  keyed.forEach((item, i) => {
    if (item.key === null) return;
    const before = keyed[i - 1];
    item.rank = before && before.key === item.key ? before.rank : i + 1;
  });
  return keyed;
}
