import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * Migration 34 (PostgreSQL): the dossier's report and scorecard triggers write all the measures
 * of a row version in one INSERT … SELECT instead of a call per measure. The same intake counts
 * the same rows by the same amounts before and after it, and the migration goes back. (The
 * oracle tests, test/db/report-counts.test.ts and test/db/scorecard-oracle.test.ts, check the
 * counts of every kind of change against the rows with the migration applied.)
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const NAME = '20261205_34_counters_set_based';

async function countersSnapshot(): Promise<Map<string, number>> {
  const { rows } = await sql<{ k: string; n: number }>`
    select 'r:' || office_id || ':' || day || ':' || measure || ':' || procedure_code || ':' || report_group || ':' || officer_id as k, n from report_daily
    union all select 'rm:' || office_id || ':' || month || ':' || measure || ':' || procedure_code || ':' || report_group || ':' || officer_id, n from report_monthly
    union all select 's:' || office_id || ':' || day || ':' || measure || ':' || tag, n from scorecard_daily
    union all select 'sm:' || office_id || ':' || month || ':' || measure || ':' || tag, n from scorecard_monthly`.execute(
    t.ctx.db,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [k, n] of after) if (n !== (before.get(k) ?? 0)) changed[k] = n - (before.get(k) ?? 0);
  return changed;
}

async function intakeDelta(): Promise<Record<string, number>> {
  const officer = await accountNamed(t.ctx, 'canbo');
  const before = await countersSnapshot();
  await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
  return delta(before, await countersSnapshot());
}

const definition = async (fn: string) =>
  (
    await sql<{ def: string }>`select pg_get_functiondef(${fn}::regprocedure) as def`.execute(
      t.ctx.db,
    )
  ).rows[0]!.def;

describe.skipIf(TEST_ENGINE !== 'postgres')('migration 34: counters set-based (PostgreSQL)', () => {
  it('counts an intake the same before and after, and goes back', async () => {
    const migrator = new Migrator({
      db: t.ctx.db,
      provider: { getMigrations: async () => migrations },
    });
    const previous = Object.keys(migrations)
      .sort()
      .filter((name) => name < NAME)
      .at(-1)!;
    const after = await intakeDelta();
    expect(await definition('report_on_dossier_change()')).toContain('insert into report_pending');
    expect(Object.keys(after).length).toBeGreaterThan(4);

    expect((await migrator.migrateTo(previous)).error).toBeUndefined();
    expect(await definition('report_on_dossier_change()')).toContain('perform report_add');
    expect(await definition('scorecard_on_dossier_change()')).toContain('perform scorecard_add');
    const loops = await intakeDelta();
    expect(loops).toEqual(after);

    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
    expect(await definition('scorecard_on_dossier_change()')).toContain(
      'insert into scorecard_pending',
    );
    expect(await intakeDelta()).toEqual(after);
    // Nothing is left pending after the commits.
    const left = await sql<{ n: string }>`
      select (select count(*) from report_pending) + (select count(*) from scorecard_pending)
        + (select count(*) from counters_flush_marks) as n`.execute(t.ctx.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
