import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, startOfLocalDayIso } from '../../src/lib/vietnam-time.js';
import { tallyByDimension, type ReportDimension } from '../../src/reports/report-tally.js';
import { countPerDay, countRatings, sumFlows } from '../../src/reports/counters.repository.js';
import { countStocks } from '../../src/reports/reports.repository.js';
import { reportWindow } from '../../src/reports/reports.service.js';
import { countDossiersFromRows } from '../support/report-oracle.js';
import { seedReportWeek } from '../support/scenarios.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The report counts come from the trigger-kept daily table plus the stocks at the "as of"
 * instant. Here they are checked against the first version's direct aggregation over the raw
 * rows, on random histories written and rewritten behind the app's back (inserts, updates that
 * move a dossier through its life or to another office, deletes), for random periods and clocks.
 */
let t: TestApp;
let offices: number[];
let officers: number[];
let procedures: { id: number; code: string; name: string; report_group: string }[];

beforeAll(async () => {
  t = await createTestApp();
  offices = (
    await t.ctx.db.selectFrom('offices').select('id').orderBy('id').limit(3).execute()
  ).map((r) => r.id);
  officers = (
    await t.ctx.db.selectFrom('accounts').select('id').orderBy('id').limit(3).execute()
  ).map((r) => r.id);
  procedures = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .orderBy('id')
    .limit(4)
    .execute();
});
afterAll(() => t.close());

const BASE = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;
const iso = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();
const localDay = (minutes: number) =>
  new Date(BASE + minutes * MINUTE + 7 * 3600_000).toISOString().slice(0, 10);
const SPAN = 40 * 24 * 60; // forty days of history, in minutes

type Fate =
  | 'open'
  | 'processing'
  | 'supplement'
  | 'result'
  | 'returned'
  | 'refused'
  | 'withdrawn'
  | 'stopped';

const dossierArb = fc.record({
  office: fc.nat(2),
  officer: fc.nat(2),
  procedure: fc.nat(3),
  intake: fc.constantFrom('accepted', 'accepted', 'accepted', 'guided', 'refused'),
  receivedAt: fc.integer({ min: 0, max: SPAN }),
  dueAfter: fc.option(fc.integer({ min: 60, max: 15 * 24 * 60 }), { freq: 8 }),
  rescheduleAfter: fc.option(fc.integer({ min: 60, max: 10 * 24 * 60 }), { freq: 1 }),
  fate: fc.constantFrom<Fate>(
    'open',
    'processing',
    'supplement',
    'result',
    'returned',
    'refused',
    'withdrawn',
    'stopped',
  ),
  fateAfter: fc.integer({ min: 1, max: 20 * 24 * 60 }),
  returnAfter: fc.integer({ min: 1, max: 5 * 24 * 60 }),
  outcome: fc.constantFrom<'early' | 'on_time' | 'late'>('early', 'on_time', 'late'),
  /** What happens behind the app's back after the first insert. */
  rewrite: fc.constantFrom('none', 'none', 'update', 'move_office', 'delete'),
  /** A satisfaction rating some minutes after the dossier's receipt, maybe changed later. */
  rating: fc.option(
    fc.record({
      after: fc.integer({ min: 0, max: 30 * 24 * 60 }),
      level: fc.constantFrom<'very_satisfied' | 'satisfied' | 'unsatisfied'>(
        'very_satisfied',
        'satisfied',
        'unsatisfied',
      ),
      changeTo: fc.option(
        fc.constantFrom<'very_satisfied' | 'satisfied' | 'unsatisfied'>(
          'very_satisfied',
          'unsatisfied',
        ),
      ),
    }),
    { freq: 3 },
  ),
});

function toRow(
  d: typeof dossierArb extends fc.Arbitrary<infer T> ? T : never,
  nowMinutes: number,
  finalState: boolean,
) {
  const p = procedures[d.procedure]!;
  const receivedAt = Math.min(d.receivedAt, nowMinutes);
  const base = {
    office_id: offices[d.office]!,
    procedure_id: p.id,
    procedure_code: p.code,
    procedure_name: p.name,
    report_group: p.report_group,
    processing_days: 5,
    intake_outcome: d.intake as 'accepted' | 'guided' | 'refused',
    status: d.intake === 'accepted' ? 'received' : d.intake,
    applicant_name: 'Nguyễn Văn An',
    applicant_name_folded: 'nguyen van an',
    address: '',
    note: '',
    received_at: iso(receivedAt),
    received_on: localDay(receivedAt),
    received_by: officers[d.officer]!,
    due_at: d.dueAfter === null ? null : iso(receivedAt + d.dueAfter),
    rescheduled_due_at:
      d.rescheduleAfter === null || d.dueAfter === null
        ? null
        : iso(receivedAt + d.dueAfter + d.rescheduleAfter),
    result_at: null as string | null,
    result_on: null as string | null,
    outcome: null as 'early' | 'on_time' | 'late' | null,
    returned_at: null as string | null,
    closed_at: null as string | null,
    created_at: iso(receivedAt),
    updated_at: iso(receivedAt),
  };
  if (d.intake === 'refused') return { ...base, closed_at: iso(receivedAt) };
  if (d.intake !== 'accepted' || !finalState) return base;
  // Nothing is ever stamped after "now": the clock only moves forward.
  const at = Math.min(receivedAt + d.fateAfter, nowMinutes);
  switch (d.fate) {
    case 'open':
      return base;
    case 'processing':
      return { ...base, status: 'processing' };
    case 'supplement':
      return { ...base, status: 'supplement_requested' };
    case 'result':
      return {
        ...base,
        status: 'result_ready',
        result_at: iso(at),
        result_on: localDay(at),
        outcome: d.outcome,
      };
    case 'returned': {
      const back = Math.min(at + d.returnAfter, nowMinutes);
      return {
        ...base,
        status: 'returned',
        result_at: iso(at),
        result_on: localDay(at),
        outcome: d.outcome,
        returned_at: iso(back),
      };
    }
    default:
      return { ...base, status: d.fate, closed_at: iso(at) };
  }
}

const DIMENSIONS: ReportDimension[] = ['procedure', 'report_group', 'office', 'officer'];

describe('report counts from the daily table', () => {
  it('equal a direct aggregation over the dossier rows, for any history, period and clock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: SPAN + 40 * 24 * 60 }),
        // Periods from a day to ten weeks, some starting on the 1st, so whole months (read from the
        // monthly table) and edge days (from the daily one) both occur.
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: -35, max: 44 }), fc.constantFrom(-28, 0, 31)),
            fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(27, 30, 60)),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        async (specs, nowMinutes, periods, officeChoice) => {
          await t.ctx.db.deleteFrom('ratings').execute();
          await t.ctx.db.deleteFrom('dossiers').execute();
          for (const spec of specs) {
            const { id } = await t.ctx.db
              .insertInto('dossiers')
              .values(toRow(spec, nowMinutes, spec.rewrite === 'none'))
              .returning('id')
              .executeTakeFirstOrThrow();
            // Rated before the rewrite, so a moved dossier must take its rating along.
            if (spec.rating && spec.rewrite !== 'delete') {
              const at = iso(Math.min(spec.receivedAt + spec.rating.after, nowMinutes));
              await t.ctx.db
                .insertInto('ratings')
                .values({ dossier_id: id, level: spec.rating.level, comment: '', at })
                .execute();
              if (spec.rating.changeTo)
                await t.ctx.db
                  .updateTable('ratings')
                  .set({ level: spec.rating.changeTo })
                  .where('dossier_id', '=', id)
                  .execute();
            }
            if (spec.rewrite === 'update')
              await t.ctx.db
                .updateTable('dossiers')
                .set(toRow(spec, nowMinutes, true))
                .where('id', '=', id)
                .execute();
            if (spec.rewrite === 'move_office') {
              await t.ctx.db
                .updateTable('dossiers')
                .set({
                  ...toRow(spec, nowMinutes, true),
                  office_id: offices[(spec.office + 1) % 3]!,
                })
                .where('id', '=', id)
                .execute();
            }
            if (spec.rewrite === 'delete')
              await t.ctx.db.deleteFrom('dossiers').where('id', '=', id).execute();
          }
          const officeIds = officeChoice.map((i) => offices[i]!);
          const now = new Date(BASE + nowMinutes * MINUTE);
          for (const [startDay, length] of periods) {
            const from = addDays('2026-03-01', startDay);
            const to = addDays(from, length);
            const w = reportWindow({ from, to }, now);
            const [flows, stocks] = [
              await sumFlows(t.ctx.db, officeIds, from, to),
              await countStocks(t.ctx.db, officeIds, w.asOfIso),
            ];
            for (const dimension of DIMENSIONS) {
              const expected = new Map(
                (await countDossiersFromRows(t.ctx.db, officeIds, w, dimension))
                  .map(
                    ({ key, label: _label, ...counts }) =>
                      [
                        key,
                        Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
                      ] as const,
                  )
                  .filter(([, counts]) => Object.values(counts).some((v) => v !== 0)),
              );
              expect(Object.fromEntries(tallyByDimension(flows, stocks, dimension))).toEqual(
                Object.fromEntries(expected),
              );
            }
            // Satisfaction ratings given in the period.
            const ratings = await t.ctx.db
              .selectFrom('ratings')
              .innerJoin('dossiers', 'dossiers.id', 'ratings.dossier_id')
              .select(['ratings.level as level', (eb) => eb.fn.countAll<number>().as('n')])
              .where('dossiers.office_id', 'in', officeIds)
              .where('ratings.at', '>=', w.startIso)
              .where('ratings.at', '<', w.endIso)
              .groupBy('ratings.level')
              .execute();
            const byLevel = (rows: { level: string; n: number }[]) =>
              Object.fromEntries(
                rows.filter((r) => Number(r.n) > 0).map((r) => [r.level, Number(r.n)]),
              );
            expect(byLevel(await countRatings(t.ctx.db, officeIds, from, to))).toEqual(
              byLevel(ratings),
            );
            // The chart series: received and resolved per local day.
            const perDay = await countPerDay(t.ctx.db, officeIds, from, to);
            const rows = await t.ctx.db
              .selectFrom('dossiers')
              .selectAll()
              .where('office_id', 'in', officeIds)
              .execute();
            for (const day of [from, addDays(from, Math.floor(length / 2)), to]) {
              const start = startOfLocalDayIso(day);
              const end = startOfLocalDayIso(addDays(day, 1));
              const received = rows.filter(
                (r) =>
                  r.intake_outcome === 'accepted' && r.received_at >= start && r.received_at < end,
              ).length;
              const resolved = rows.filter(
                (r) =>
                  r.result_at !== null &&
                  r.outcome !== null &&
                  r.result_at >= start &&
                  r.result_at < end,
              );
              const got = perDay.find((r) => r.day === day);
              expect({
                received: Number(got?.received ?? 0),
                resolved: Number(got?.resolved ?? 0),
                inTime: Number(got?.inTime ?? 0),
              }).toEqual({
                received,
                resolved: resolved.length,
                inTime: resolved.filter((r) => r.outcome !== 'late').length,
              });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is kept by triggers and rebuilt by the migration from existing rows', async () => {
    // A week of real work through the services, whatever the random histories above left behind
    // (their last one may be empty), then the migration's backfill must give the same tables.
    await seedReportWeek(t);
    const monthlyBefore = await t.ctx.db
      .selectFrom('report_monthly')
      .selectAll()
      .where('n', '<>', 0)
      .orderBy('office_id')
      .orderBy('month')
      .orderBy('measure')
      .orderBy('procedure_code')
      .orderBy('report_group')
      .orderBy('officer_id')
      .execute();
    const before = await t.ctx.db
      .selectFrom('report_daily')
      .selectAll()
      .where('n', '<>', 0)
      .orderBy('office_id')
      .orderBy('day')
      .orderBy('measure')
      .orderBy('procedure_code')
      .orderBy('report_group')
      .orderBy('officer_id')
      .execute();
    expect(before.length).toBeGreaterThan(0);
    const { migrations } = await import('../../migrations/index.js');
    const migration = migrations['20261128_07_report_daily']!;
    // Migration 35 split the dossiers' counting triggers that migration 07 drops and makes.
    const direct = migrations['20261205_35_intake_counts_direct']!;
    await direct.down!(t.ctx.db);
    await migration.down!(t.ctx.db);
    await migration.up(t.ctx.db);
    await direct.up(t.ctx.db);
    const after = await t.ctx.db
      .selectFrom('report_daily')
      .selectAll()
      .orderBy('office_id')
      .orderBy('day')
      .orderBy('measure')
      .orderBy('procedure_code')
      .orderBy('report_group')
      .orderBy('officer_id')
      .execute();
    expect(after).toEqual(before);
    const monthlyAfter = await t.ctx.db
      .selectFrom('report_monthly')
      .selectAll()
      .orderBy('office_id')
      .orderBy('month')
      .orderBy('measure')
      .orderBy('procedure_code')
      .orderBy('report_group')
      .orderBy('officer_id')
      .execute();
    expect(monthlyAfter).toEqual(monthlyBefore);
    expect(monthlyAfter.length).toBeGreaterThan(0);
  });
});
