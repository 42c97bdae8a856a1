import pg from 'pg';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { localDateOf } from '../../src/lib/vietnam-time.js';
import { createPostgresDb, createPostgresPool } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/schema.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { until } from '../support/wait.js';
import {
  createEmptyPostgresDatabase,
  createTestApp,
  TEST_ENGINE,
  type TestApp,
} from '../support/test-app.js';

/**
 * PostgreSQL writes the report and scorecard counters at commit (migration 31): a transaction
 * that counted something holds no lock on a counter row until it commits, so another intake of
 * the same office, day and procedure runs beside it instead of waiting for its whole transaction.
 * The counts come out the same: a committed transaction's deltas are added once, a rolled-back
 * one's never.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface ReportKey {
  office_id: number;
  day: string;
  measure: Database['report_daily']['measure'];
  procedure_code: string;
  report_group: string;
  officer_id: number;
}
interface ScorecardKey {
  office_id: number;
  day: string;
  measure: Database['scorecard_daily']['measure'];
  tag: string;
}

describe.skipIf(TEST_ENGINE !== 'postgres')('counters written at commit (PostgreSQL)', () => {
  it('an open transaction that counted in an office does not hold up the office’s next intake', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    const today = localDateOf(t.clock.now());
    const reportKeys = await t.ctx.db
      .selectFrom('report_daily')
      .select(['office_id', 'day', 'measure', 'procedure_code', 'report_group', 'officer_id'])
      .where('office_id', '=', officer.officeId)
      .where('day', '=', today)
      .execute();
    const scorecardKeys = await t.ctx.db
      .selectFrom('scorecard_daily')
      .select(['office_id', 'day', 'measure', 'tag'])
      .where('office_id', '=', officer.officeId)
      .where('day', '=', today)
      .execute();
    expect(reportKeys.map((k) => k.measure)).toContain('received');
    expect(scorecardKeys.length).toBeGreaterThan(0);
    const before = await counts(reportKeys, scorecardKeys);

    // Another session counts on every row the intake counts on, as a concurrent intake's
    // triggers would, and keeps its transaction open.
    const holder = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('begin');
    await addAll(holder, reportKeys, scorecardKeys, 1);

    let settled = false;
    const pending = receiveDossier(t.ctx, officer, await validIntake(t.ctx)).finally(
      () => (settled = true),
    );
    const outcome = await Promise.race([
      pending.then(() => 'finished' as const),
      until(async () => {
        if (settled) return true;
        const { rows } = await holder.query(
          `select 1 from pg_locks where not granted and pid in
             (select pid from pg_stat_activity where datname = current_database())`,
        );
        return rows.length > 0;
      }, 'the intake to finish or wait').then(() => 'waited for a lock' as const),
    ]);
    expect(outcome).toBe('finished');
    // Nothing of the open transaction is counted yet; the intake's own counts are.
    const during = await counts(reportKeys, scorecardKeys);
    expect(during.report.get(keyOf(reportKeys.find((k) => k.measure === 'received')!))).toBe(
      before.report.get(keyOf(reportKeys.find((k) => k.measure === 'received')!))! + 1,
    );

    await holder.query('commit');
    const after = await counts(reportKeys, scorecardKeys);
    for (const k of reportKeys) {
      const intake = during.report.get(keyOf(k))! - before.report.get(keyOf(k))!;
      expect(after.report.get(keyOf(k))).toBe(before.report.get(keyOf(k))! + intake + 1);
    }
    for (const k of scorecardKeys) {
      const intake = during.scorecard.get(keyOf(k))! - before.scorecard.get(keyOf(k))!;
      expect(after.scorecard.get(keyOf(k))).toBe(before.scorecard.get(keyOf(k))! + intake + 1);
    }
    // The month's rows moved with the days'.
    const month = await t.ctx.db
      .selectFrom('report_monthly')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('office_id', '=', officer.officeId)
      .where('month', '=', today.slice(0, 7))
      .where('measure', '=', 'received')
      .executeTakeFirstOrThrow();
    const days = await t.ctx.db
      .selectFrom('report_daily')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('office_id', '=', officer.officeId)
      .where('day', 'like', `${today.slice(0, 7)}-%`)
      .where('measure', '=', 'received')
      .executeTakeFirstOrThrow();
    expect(Number(month.n)).toBe(Number(days.n));

    // A rolled-back transaction's deltas are never added; nothing is left pending.
    await holder.query('begin');
    await addAll(holder, reportKeys, scorecardKeys, 5);
    await holder.query('rollback');
    expect(await counts(reportKeys, scorecardKeys)).toEqual(after);
    const left = await sql<{ n: string }>`
      select (select count(*) from report_pending) + (select count(*) from scorecard_pending)
        + (select count(*) from counters_flush_marks) as n`.execute(t.ctx.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it('an accepted intake counts straight into the counters (migration 35); any other change through the sum at commit', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    const today = localDateOf(t.clock.now());
    const received = () =>
      t.ctx.db
        .selectFrom('report_daily')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('office_id', '=', officer.officeId)
        .where('day', '=', today)
        .where('measure', '=', 'received')
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const scorecardTotal = () =>
      t.ctx.db
        .selectFrom('scorecard_monthly')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('office_id', '=', officer.officeId)
        .where('month', '=', today.slice(0, 7))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    /** The office's received and guided counts, and its accepted dossiers. */
    const tally = async () => {
      const { rows } = await sql<{ stored: number; accepted: number; guided: number }>`
        select (select coalesce(sum(n), 0) from report_daily
                  where office_id = ${officer.officeId} and measure in ('received', 'guided')) as stored,
               (select count(*) from dossiers
                  where office_id = ${officer.officeId} and intake_outcome = 'accepted') as accepted,
               (select count(*) from dossiers
                  where office_id = ${officer.officeId} and intake_outcome = 'guided') as guided`.execute(
        t.ctx.db,
      );
      return {
        stored: Number(rows[0]!.stored),
        accepted: Number(rows[0]!.accepted),
        guided: Number(rows[0]!.guided),
      };
    };
    const before = {
      received: await received(),
      scorecard: await scorecardTotal(),
      tally: await tally(),
    };

    // Another session locks the pending rows' tables and the marks: a change counted through
    // the sum at commit waits for it, one counted straight does not.
    const holder = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('begin');
    await holder.query(
      'lock table report_pending, scorecard_pending, counters_flush_marks in exclusive mode',
    );
    const finishedOrWaited = async (work: Promise<unknown>) => {
      let settled = false;
      const done = work.finally(() => (settled = true));
      return Promise.race([
        done.then(() => 'finished' as const),
        until(async () => {
          if (settled) return true;
          const { rows } = await holder.query(
            `select 1 from pg_locks where not granted and pid in
               (select pid from pg_stat_activity where datname = current_database())`,
          );
          return rows.length > 0;
        }, 'the change to finish or wait').then(() =>
          settled ? ('finished' as const) : ('waited for a lock' as const),
        ),
      ]);
    };
    expect(await finishedOrWaited(receiveDossier(t.ctx, officer, await validIntake(t.ctx)))).toBe(
      'finished',
    );
    expect(await received()).toBe(before.received + 1);
    expect(await scorecardTotal()).toBeGreaterThan(before.scorecard);

    // A guided citizen takes no number: that dossier is counted through the pending rows.
    const guided = receiveDossier(
      t.ctx,
      officer,
      await validIntake(t.ctx, { outcome: 'guide', documents: [] }),
    );
    expect(await finishedOrWaited(guided)).toBe('waited for a lock');
    await holder.query('commit');
    await guided;
    const guidedToday = await t.ctx.db
      .selectFrom('report_daily')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('office_id', '=', officer.officeId)
      .where('day', '=', today)
      .where('measure', '=', 'guided')
      .executeTakeFirstOrThrow();
    expect(Number(guidedToday.n)).toBeGreaterThan(0);

    // The counters moved with the dossiers they count, both ways of counting together.
    expect(await tally()).toEqual({
      stored: before.tally.stored + 2,
      accepted: before.tally.accepted + 1,
      guided: before.tally.guided + 1,
    });
  });

  it('migration 35 counts an intake straight, and back', async () => {
    const created = await createEmptyPostgresDatabase();
    cleanups.push(created.drop);
    const db: Kysely<any> = createPostgresDb(createPostgresPool({ url: created.url, poolSize: 2 }));
    cleanups.push(() => db.destroy());
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const NAME = '20261205_35_intake_counts_direct';
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < NAME)
      .at(-1)!;
    const triggers = async () =>
      (
        await sql<{ tgname: string }>`select tgname from pg_trigger
          where tgrelid = 'dossiers'::regclass and tgname similar to '(report_daily_on_insert|scorecard_on_dossier)%'
          order by tgname`.execute(db)
      ).rows.map((r) => r.tgname);
    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
    expect(await triggers()).toEqual([
      'report_daily_on_insert',
      'report_daily_on_insert_delete',
      'report_daily_on_insert_direct',
      'scorecard_on_dossier',
      'scorecard_on_dossier_delete',
      'scorecard_on_dossier_direct',
      'scorecard_on_dossier_update',
    ]);
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await triggers()).toEqual([
      'report_daily_on_insert',
      'scorecard_on_dossier',
      'scorecard_on_dossier_update',
    ]);
    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
  });

  it('migration 31 moves the writes to commit, and back', async () => {
    const created = await createEmptyPostgresDatabase();
    cleanups.push(created.drop);
    const db: Kysely<any> = createPostgresDb(createPostgresPool({ url: created.url, poolSize: 2 }));
    cleanups.push(() => db.destroy());
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const NAME = '20261204_31_counters_at_commit';
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < NAME)
      .at(-1)!;
    /** Whether a count made inside a transaction is in the table before that transaction commits. */
    const visibleBeforeCommit = () =>
      db.transaction().execute(async (tx) => {
        await sql`select report_add(1, '2026-12-01', 'received', 'p', 'g', 1, 1)`.execute(tx);
        await sql`select scorecard_add(1, '2026-12-01', 'received', '', 1)`.execute(tx);
        const { rows } = await sql<{ n: string }>`
          select (select count(*) from report_daily) + (select count(*) from scorecard_daily) as n`.execute(
          tx,
        );
        return Number(rows[0]!.n) > 0;
      });
    const total = async () => {
      const { rows } = await sql<{ n: string }>`
        select (select coalesce(sum(n), 0) from report_daily) + (select coalesce(sum(n), 0) from report_monthly)
          + (select coalesce(sum(n), 0) from scorecard_daily) + (select coalesce(sum(n), 0) from scorecard_monthly) as n`.execute(
        db,
      );
      return Number(rows[0]!.n);
    };
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await visibleBeforeCommit()).toBe(true);
    expect(await total()).toBe(4);

    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
    await sql`truncate report_daily, report_monthly, scorecard_daily, scorecard_monthly`.execute(
      db,
    );
    expect(await visibleBeforeCommit()).toBe(false);
    expect(await total()).toBe(4);

    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect(await visibleBeforeCommit()).toBe(true);
    expect(await total()).toBe(8);
  });
});

const keyOf = (k: object) => JSON.stringify(Object.values(k));

async function addAll(
  client: pg.Client,
  reportKeys: ReportKey[],
  scorecardKeys: ScorecardKey[],
  n: number,
) {
  for (const k of reportKeys)
    await client.query('select report_add($1, $2, $3, $4, $5, $6, $7)', [
      k.office_id,
      k.day,
      k.measure,
      k.procedure_code,
      k.report_group,
      k.officer_id,
      n,
    ]);
  for (const k of scorecardKeys)
    await client.query('select scorecard_add($1, $2, $3, $4, $5)', [
      k.office_id,
      k.day,
      k.measure,
      k.tag,
      n,
    ]);
}

async function counts(reportKeys: ReportKey[], scorecardKeys: ScorecardKey[]) {
  const report = new Map<string, number>();
  for (const k of reportKeys) {
    const row = await t.ctx.db
      .selectFrom('report_daily')
      .select('n')
      .where('office_id', '=', k.office_id)
      .where('day', '=', k.day)
      .where('measure', '=', k.measure)
      .where('procedure_code', '=', k.procedure_code)
      .where('report_group', '=', k.report_group)
      .where('officer_id', '=', k.officer_id)
      .executeTakeFirst();
    report.set(keyOf(k), Number(row?.n ?? 0));
  }
  const scorecard = new Map<string, number>();
  for (const k of scorecardKeys) {
    const row = await t.ctx.db
      .selectFrom('scorecard_daily')
      .select('n')
      .where('office_id', '=', k.office_id)
      .where('day', '=', k.day)
      .where('measure', '=', k.measure)
      .where('tag', '=', k.tag)
      .executeTakeFirst();
    scorecard.set(keyOf(k), Number(row?.n ?? 0));
  }
  return { report, scorecard };
}
