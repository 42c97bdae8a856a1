import type { AppContext } from '../context.js';
export { previousPeriod } from './previous-period.js';
import { countApologyLetters, countReceiptsBeyondTheCounter } from './figures.repository.js';
import { countRatings, sumFlowTotals, type sumFlows } from './counters.repository.js';
import type { ReportWindow } from './reports.repository.js';

/** The headline figures of a period, as the monthly report upward lists them. */
export interface PeriodFigures {
  received: number;
  receivedByChannel: { counter: number; online: number; post: number };
  guided: number;
  refusedAtIntake: number;
  refusedAfterReceipt: number;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  onTimeRate: number | null;
  withdrawnStopped: number;
  apologyLetters: number;
  feesCollected: number;
  ratings: {
    very_satisfied: number;
    satisfied: number;
    unsatisfied: number;
    total: number;
    satisfiedRate: number | null;
  };
}

export async function periodFigures(
  ctx: AppContext,
  officeIds: number[],
  q: { from: string; to: string },
  w: Pick<ReportWindow, 'startIso' | 'endIso'>,
  /** The period's flows and ratings when the caller has read them already (the report page). */
  known?: {
    flows: Awaited<ReturnType<typeof sumFlows>>;
    ratings: Awaited<ReturnType<typeof countRatings>>;
  },
): Promise<PeriodFigures> {
  const [flows, channels, apologies, ratingRows] = await Promise.all([
    known?.flows ?? sumFlowTotals(ctx.reportDb, officeIds, q.from, q.to),
    countReceiptsBeyondTheCounter(ctx.reportDb, officeIds, w.startIso, w.endIso),
    countApologyLetters(ctx.reportDb, officeIds, w.startIso, w.endIso),
    known?.ratings ?? countRatings(ctx.reportDb, officeIds, q.from, q.to),
  ]);
  const sum = (measure: string) =>
    flows.filter((f) => f.measure === measure).reduce((n, f) => n + Number(f.n), 0);
  const received = sum('received');
  const byChannel = { counter: 0, online: 0, post: 0 };
  let refusedAtIntake = 0;
  let fees = 0;
  for (const c of channels) {
    if (c.intake_outcome === 'accepted') {
      // The counter's own rows here are only those with a fee: its count is derived below.
      if (c.receiving_channel !== 'counter')
        byChannel[c.receiving_channel as 'online' | 'post'] += Number(c.n);
      fees += Number(c.fees ?? 0);
    } else if (c.intake_outcome === 'refused') refusedAtIntake += Number(c.n);
  }
  // Every accepted receipt came by one of the three channels. The two reads are separate
  // statements: an intake committed between them could make the difference one short for a
  // moment, never below zero.
  byChannel.counter = Math.max(0, received - byChannel.online - byChannel.post);
  const [early, onTime, late] = [sum('early'), sum('on_time'), sum('late')];
  const resolved = early + onTime + late;
  const ratings = { very_satisfied: 0, satisfied: 0, unsatisfied: 0 };
  for (const r of ratingRows)
    if (r.level in ratings) ratings[r.level as keyof typeof ratings] += Number(r.n);
  const rated = ratings.very_satisfied + ratings.satisfied + ratings.unsatisfied;
  return {
    received,
    receivedByChannel: byChannel,
    guided: sum('guided'),
    refusedAtIntake,
    refusedAfterReceipt: sum('refused'),
    resolved,
    resolvedEarly: early,
    resolvedOnTime: onTime,
    resolvedLate: late,
    onTimeRate: resolved ? (early + onTime) / resolved : null,
    withdrawnStopped: sum('withdrawn_stopped'),
    apologyLetters: apologies,
    feesCollected: fees,
    ratings: {
      ...ratings,
      total: rated,
      satisfiedRate: rated ? (ratings.very_satisfied + ratings.satisfied) / rated : null,
    },
  };
}

/** One line of the figures: a number, or a share (a fraction, shown as a percentage). */
export interface FigureLine {
  key: string;
  now: number | null;
  before: number | null;
  share: boolean;
}

/** The figures in the order the report lists them, this period beside the one before. */
export function figureLines(now: PeriodFigures, before: PeriodFigures): FigureLine[] {
  const pick: [string, (f: PeriodFigures) => number | null, boolean][] = [
    ['received', (f) => f.received, false],
    ['counter', (f) => f.receivedByChannel.counter, false],
    ['online', (f) => f.receivedByChannel.online, false],
    ['post', (f) => f.receivedByChannel.post, false],
    ['refusedAtIntake', (f) => f.refusedAtIntake, false],
    ['refusedAfterReceipt', (f) => f.refusedAfterReceipt, false],
    ['resolved', (f) => f.resolved, false],
    ['onTimeRate', (f) => f.onTimeRate, true],
    ['apologyLetters', (f) => f.apologyLetters, false],
    ['feesCollected', (f) => f.feesCollected, false],
    ['rated', (f) => f.ratings.total, false],
    ['very_satisfied', (f) => f.ratings.very_satisfied, false],
    ['satisfied', (f) => f.ratings.satisfied, false],
    ['unsatisfied', (f) => f.ratings.unsatisfied, false],
    ['satisfiedRate', (f) => f.ratings.satisfiedRate, true],
  ];
  return pick.map(([key, of, share]) => ({ key, now: of(now), before: of(before), share }));
}
