import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GROUPS,
  INDICATORS,
  MEASURED_CODES,
  pointsOf,
  rankOn,
  scoreIndicators,
  totalsOf,
  type Count,
  type MeasuredCode,
} from '../../../src/scorecard/indicators.js';
import {
  monthPeriod,
  periodOf,
  previousOf,
  quarterPeriod,
  trendMonths,
  yearPeriod,
} from '../../../src/scorecard/periods.js';
import { trendChart } from '../../../src/scorecard/trend-chart.js';

const counts = (c: Partial<Record<MeasuredCode, Count>>) =>
  Object.fromEntries(
    MEASURED_CODES.map((code) => [code, c[code] ?? { numerator: 0, denominator: 0 }]),
  ) as Record<MeasuredCode, Count>;

describe('the service index scoring', () => {
  it('adds up to 100 points, each group to its own', () => {
    expect(INDICATORS.reduce((a, i) => a + i.maxPoints, 0)).toBe(100);
    for (const g of GROUPS)
      expect(
        INDICATORS.filter((i) => i.group === g.code).reduce((a, i) => a + i.maxPoints, 0),
      ).toBe(g.maxPoints);
  });

  it('gives full points from the target, in proportion below it', () => {
    const target = { kind: 'target', target: 0.5 } as const;
    expect(pointsOf(0.5, target, 6)).toBe(6);
    expect(pointsOf(0.9, target, 6)).toBe(6);
    expect(pointsOf(0.25, target, 6)).toBe(3);
    expect(pointsOf(0, target, 6)).toBe(0);
    expect(pointsOf(2 / 3, { kind: 'proportional' }, 20)).toBe(13.33);
  });

  it('never scores what is not measured, nor an empty denominator', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.nat(50)), {
          minLength: MEASURED_CODES.length,
          maxLength: MEASURED_CODES.length,
        }),
        (pairs) => {
          const c = counts(
            Object.fromEntries(
              MEASURED_CODES.map((code, i) => {
                const [a, b] = pairs[i]!;
                return [code, { numerator: Math.min(a, b), denominator: Math.max(a, b) }];
              }),
            ),
          );
          const values = scoreIndicators(c);
          const totals = totalsOf(values);
          for (const v of values) {
            if (v.status === 'not_measured') expect(v.numerator).toBeNull();
            if (v.status === 'empty') expect([v.value, v.points]).toEqual([null, null]);
            if (v.points !== null) expect(v.points).toBeLessThanOrEqual(v.def.maxPoints);
          }
          expect(totals.points).toBeLessThanOrEqual(totals.scoredMax);
          expect(totals.scoredMax + totals.emptyMax + totals.notMeasuredMax).toBeCloseTo(100, 6);
        },
      ),
    );
  });
});

describe('the service index periods', () => {
  it('names months, quarters and years, and the period before each', () => {
    expect(periodOf('2026-02-01', '2026-02-28')).toEqual(monthPeriod(2026, 2));
    expect(periodOf('2026-04-01', '2026-06-30')).toEqual(quarterPeriod(2026, 2));
    expect(periodOf('2026-01-01', '2026-12-31')).toEqual(yearPeriod(2026));
    expect(previousOf(monthPeriod(2026, 1))).toEqual(monthPeriod(2025, 12));
    expect(previousOf(quarterPeriod(2026, 1))).toEqual(quarterPeriod(2025, 4));
    expect(previousOf(periodOf('2026-03-10', '2026-03-19'))).toMatchObject({
      from: '2026-02-28',
      to: '2026-03-09',
    });
  });
});

describe('offices ranked', () => {
  it('on the share of measurable points, ties sharing a rank, nothing scored last', () => {
    const office = (name: string, points: number, scoredMax: number, onTime: number) => ({
      name,
      values: scoreIndicators(counts({ on_time: { numerator: onTime, denominator: onTime && 4 } })),
      totals: { points, scoredMax, emptyMax: 0, notMeasuredMax: 0, indexMax: 100 },
    });
    const offices = [
      office('a', 10, 40, 4),
      office('b', 0, 0, 0),
      office('c', 30, 40, 1),
      office('d', 15, 20, 2),
    ];
    const ranked = rankOn(offices, null);
    expect(ranked.map((o) => [o.name, o.rank])).toEqual([
      ['c', 1],
      ['d', 1],
      ['a', 3],
      ['b', null],
    ]);
    // On one indicator: its value (on time 4/4, nothing, 1/4, 2/4).
    expect(rankOn(offices, 'on_time').map((o) => [o.name, o.rank])).toEqual([
      ['a', 1],
      ['d', 2],
      ['c', 3],
      ['b', null],
    ]);
  });
});

describe('the trend', () => {
  it("covers the twelve months to the period's end, and draws no bar for a month without data", () => {
    expect(trendMonths('2026-03-31')).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    const svg = trendChart(
      'Tỷ lệ',
      [
        { month: '2026-02', value: null, numerator: 0, denominator: 0 },
        { month: '2026-03', value: 0.5, numerator: 1, denominator: 2 },
      ],
      0.8,
    );
    expect(svg.match(/<rect /g)).toHaveLength(1);
    expect(svg).toContain('(1/2)');
    expect(svg).toContain('stroke-dasharray');
  });
});
