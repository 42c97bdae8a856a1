import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261203_27_scorecard_daily.js';
import * as direct from '../../migrations/20261205_35_intake_counts_direct.js';
import { dossierArb, SPAN, scorecardHistory } from '../support/scorecard-history.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The scorecard's daily tables (migration 27): what the triggers kept through inserts, updates,
 * transfers and deletes equals what the migration's backfill computes from the rows at once.
 */
let t: TestApp;
let history: Awaited<ReturnType<typeof scorecardHistory>>;

beforeAll(async () => {
  t = await createTestApp();
  history = await scorecardHistory(t);
});
afterAll(() => t.close());

async function tables() {
  const rows = async (table: 'scorecard_daily' | 'scorecard_monthly') =>
    (
      await sql<{ office_id: number; period: string; measure: string; tag: string; n: number }>`
        select office_id, ${sql.ref(table === 'scorecard_daily' ? 'day' : 'month')} as period,
          measure, tag, n from ${sql.table(table)} where n <> 0
        order by office_id, period, measure, tag`.execute(t.ctx.db)
    ).rows.map((r) => ({ ...r, n: Number(r.n) }));
  return {
    daily: await rows('scorecard_daily'),
    monthly: await rows('scorecard_monthly'),
    files: await t.ctx.db.selectFrom('scorecard_files').selectAll().orderBy('dossier_id').execute(),
  };
}

describe('the scorecard daily tables', () => {
  it('hold what the backfill recomputes from the rows, after any history of writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: SPAN + 30 * 24 * 60 }),
        async (specs, now) => {
          // At least one dossier stays, accepted: the tables are never trivially empty.
          const kept0 = { ...specs[0]!, intake: 'accepted', writtenBy: 'insert' } as const;
          await history.writeHistory([kept0, ...specs.slice(1)], now);
          const kept = await tables();
          expect(kept.daily.length).toBeGreaterThan(0);
          // Migration 35 split the dossiers' counting triggers that migration 27 drops and makes.
          await direct.down(t.ctx.db);
          await down(t.ctx.db);
          await up(t.ctx.db);
          await direct.up(t.ctx.db);
          expect(await tables()).toEqual(kept);
        },
      ),
      { numRuns: 8 },
    );
  });
});
