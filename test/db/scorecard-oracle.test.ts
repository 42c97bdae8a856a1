import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/vietnam-time.js';
import { DOSSIER_CODES, MEASURED_CODES } from '../../src/scorecard/indicators.js';
import { listDossiers } from '../../src/scorecard/scorecard.repository.js';
import { countIndicators, windowOf } from '../../src/scorecard/scorecard.service.js';
import {
  BASE,
  dossierArb,
  MINUTE,
  scorecardHistory,
  SPAN,
  type Spec,
} from '../support/scorecard-history.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every indicator of the service index against a row-by-row count over the raw rows (the
 * oracle), on random histories written behind the app's back: refused and guided at the
 * counter, paused awaiting papers, withdrawn and stopped, carried over from earlier periods,
 * imported from a tracking book (no files), files replaced or kept on paper, payments cancelled,
 * refunded or of zero, ratings; for random periods, scopes and clocks. Each dossier is written
 * by an insert, or inserted and updated to its end, or transferred from another office, or
 * written and deleted (test/support/scorecard-history.ts), so the counts — read from the daily
 * tables the triggers keep — are checked after every kind of write. The drill-down lists
 * (read from the records) have totals equal to the counts.
 */
let t: TestApp;
let history: Awaited<ReturnType<typeof scorecardHistory>>;

beforeAll(async () => {
  t = await createTestApp();
  history = await scorecardHistory(t);
});
afterAll(() => t.close());

describe('the service index counts', () => {
  it('equal a row-by-row count, and the lists behind them, for any history, period and clock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: SPAN + 30 * 24 * 60 }),
        // Periods from a day to two months, some of them calendar months.
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: -10, max: 50 }), fc.constantFrom(-5, 0, 31)),
            fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constantFrom(30, 27, 60)),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        async (specs, now, periods, officeChoice) => {
          await history.writeHistory(specs, now);
          const officeIds = officeChoice.map((i) => history.offices[i]!);
          for (const [start, length] of periods) {
            const from = addDays('2026-03-01', start);
            const w = windowOf({ from, to: addDays(from, length) }, new Date(BASE + now * MINUTE));
            const got = await countIndicators(t.ctx, officeIds, w);
            expect(Object.keys(got).sort()).toEqual([...MEASURED_CODES].sort());
            console.log(
              'STAT',
              JSON.stringify(
                Object.fromEntries(
                  Object.entries(got).map(([k, v]) => [
                    k,
                    v.denominator > 0 ? (v.numerator > 0 ? 2 : 1) : 0,
                  ]),
                ),
              ),
            );
            expect(got).toEqual(await history.oracle(officeIds, w));
            for (const code of DOSSIER_CODES) {
              const total = async (side: 'numerator' | 'denominator' | 'excluded') =>
                (await listDossiers(t.ctx.db, officeIds, w, code, side, { offset: 0, limit: 1 }))
                  .total;
              expect(await total('numerator'), code).toBe(got[code].numerator);
              expect(await total('denominator'), code).toBe(got[code].denominator);
              expect(await total('excluded'), code).toBe(
                got[code].denominator - got[code].numerator,
              );
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the service index edges', () => {
  it('counts a carried-over dossier, leaves out the paused, refused, guided and withdrawn, and imported history from the file indicators', async () => {
    const DAY = 24 * 60;
    const base: Spec = {
      office: 0,
      procedure: 0,
      intake: 'accepted',
      imported: false,
      channel: 'counter',
      receivedAt: 2 * DAY,
      dueAfter: 5 * DAY,
      rescheduleAfter: null,
      fate: 'open',
      fateAfter: DAY,
      outcome: 'on_time',
      files: [],
      payment: null,
      rating: null,
      writtenBy: 'insert',
    };
    const now = 40 * DAY; // 10 April: March has ended
    await history.writeHistory(
      [
        { ...base, receivedAt: -5 * DAY, dueAfter: 2 * DAY }, // carried over, overdue at the end
        { ...base, fate: 'supplement' }, // paused awaiting papers
        { ...base, intake: 'refused' }, // refused at the counter
        { ...base, intake: 'guided' }, // guided to complete the papers
        { ...base, fate: 'withdrawn' }, // withdrawn before the end
        { ...base, imported: true, fate: 'result' }, // imported history, on time
        {
          ...base,
          channel: 'online',
          fate: 'returned',
          outcome: 'early',
          files: [
            { component: '1', state: 'reused', replaced: false },
            { component: 'result', state: 'digitised', replaced: false },
          ],
          payment: { state: 'paid', method: 'online', amount: 50_000, after: 0 },
          rating: { after: 3 * DAY, level: 'satisfied' },
        },
      ],
      now,
    );
    const w = windowOf({ from: '2026-03-01', to: '2026-03-31' }, new Date(BASE + now * MINUTE));
    const got = await countIndicators(t.ctx, [history.offices[0]!], w);
    const pair = (numerator: number, denominator: number) => ({ numerator, denominator });
    expect(got).toEqual({
      on_time: pair(2, 3),
      online_filed: pair(1, 3),
      digitised: pair(1, 3),
      reused: pair(1, 3),
      electronic_result: pair(1, 1),
      payment_dossiers: pair(1, 1),
      payment_procedures: pair(1, 1),
      satisfaction: pair(1, 1),
    });
    expect(got).toEqual(await history.oracle([history.offices[0]!], w));
  });
});
