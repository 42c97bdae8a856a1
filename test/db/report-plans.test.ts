import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteDialect,
  sql,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import * as reportSpeed from '../../migrations/20261203_29_report_speed.js';
import { countReceivedDigitisation, countResultsGiven } from '../../src/files/report.repository.js';
import { findFeeDossiers } from '../../src/payments/fee-report.repository.js';
import { countByChannel, syncRowsIn } from '../../src/online/channels-report.repository.js';
import { countReceiptsBeyondTheCounter } from '../../src/reports/figures.repository.js';
import {
  countStocks,
  findDueBetween,
  findOverdue,
  findOverdueAt,
} from '../../src/reports/reports.repository.js';
import { countImportedWithoutSteps } from '../../src/reports/steps.repository.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * SQLite plans without statistics unless the database was analysed (the benchmark's is): the
 * report's reads must take their own indexes either way (migration 21). PostgreSQL plans from
 * statistics it keeps itself.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function plansOf(run: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: t.ctx.sqlite! }),
    log: (event) => void queries.push(event.query),
  });
  await run(db);
  return queries.map((q) =>
    (
      t.ctx.sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | '),
  );
}

/** `count` accepted counter receipts without a fee, ten minutes apart from START, in one office. */
async function insertReceipts(
  count: number,
  extra: (
    i: number,
  ) => Partial<{ receiving_channel: 'online' | 'post'; fee_vnd: number }> = () => ({}),
) {
  const office = (
    await t.ctx.db.selectFrom('offices').select('id').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  const procedure = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const by = (await t.ctx.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow()).id;
  const at = (i: number) => new Date(Date.parse(START) + i * 600_000).toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    office_id: office,
    procedure_id: procedure.id,
    procedure_code: procedure.code,
    procedure_name: procedure.name,
    report_group: procedure.report_group,
    processing_days: 5,
    intake_outcome: 'accepted' as const,
    status: 'received',
    applicant_name: 'Nguyễn Văn An',
    applicant_name_folded: 'nguyen van an',
    address: '',
    note: '',
    received_at: at(i),
    received_on: at(i + 42).slice(0, 10),
    received_by: by,
    created_at: at(i),
    updated_at: at(i),
    ...extra(i),
  }));
  for (let i = 0; i < rows.length; i += 100)
    await t.ctx.db
      .insertInto('dossiers')
      .values(rows.slice(i, i + 100))
      .execute();
}

const OFFICES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const START = '2026-10-31T17:00:00.000Z';
const END = '2026-11-30T17:00:00.000Z';

describe.skipIf(TEST_ENGINE === 'postgres')(
  'the report reads take their own indexes (SQLite)',
  () => {
    for (const analysed of [false, true]) {
      it(`${analysed ? 'with' : 'without'} statistics`, async () => {
        if (analysed) t.ctx.sqlite!.exec('analyze');
        const receipts = await plansOf((db) =>
          countReceiptsBeyondTheCounter(db, OFFICES, START, END),
        );
        expect(receipts[0]).toContain('COVERING INDEX dossiers_receipts_beyond_counter');
        const imported = await plansOf((db) =>
          countImportedWithoutSteps(db, OFFICES, '2026-11-01', '2026-11-30'),
        );
        expect(imported[0]).toContain('dossiers_imported');
        // This month's lists: the rows shown through their ids, taken in a subquery from a
        // partial index of open dossiers, and the count from the same; never an office's history.
        const lists = [
          ...(await plansOf((db) => findOverdue(db, OFFICES, END))),
          ...(await plansOf((db) => findDueBetween(db, OFFICES, END, '2026-12-01', '2026-12-02'))),
        ];
        expect(lists).toHaveLength(4);
        for (const plan of lists) {
          expect(plan).toMatch(/dossiers_open_for_reports|scorecard_open_dossiers/);
          expect(plan).not.toContain('dossiers_tracking_book');
        }
        for (const rows of [lists[0]!, lists[2]!])
          expect(rows).toMatch(
            /^SEARCH dossiers USING INTEGER PRIMARY KEY \(rowid=\?\) \| LIST SUBQUERY/,
          );
        // Last month's overdue list: never the offices' whole history through the tracking book.
        const overdue = await plansOf((db) => findOverdueAt(db, OFFICES, END));
        expect(overdue.length).toBeGreaterThanOrEqual(3);
        for (const plan of overdue) expect(plan).not.toContain('dossiers_tracking_book');
        // The open set on a partial index of open dossiers (the report's or the scorecard's), the
        // finished-since set on an index of results by time (the narrow one or migration 29's).
        expect(overdue.slice(0, 3)).toEqual([
          expect.stringMatching(/dossiers_open_for_reports|scorecard_open_dossiers/),
          expect.stringMatching(/dossiers_result_at|dossiers_results_given/),
          expect.stringContaining('dossiers_closed_without_result'),
        ]);
        // The digitisation section's results given: one range of its covering index (migration 29).
        // Never an office index, whatever the offices (with an office that an index could take,
        // SQLite walked each office's whole history).
        for (const offices of [OFFICES, OFFICES.slice(0, 10), [3], [3, 4, 5, 6, 7]]) {
          const results = await plansOf((db) => countResultsGiven(db, offices, START, END));
          expect(results[0]).toContain(
            'COVERING INDEX dossiers_results_given (result_at>? AND result_at<?)',
          );
        }
        // The sections counting the dossiers received in the period read the board's index,
        // which carries their columns (migration 30), and each dossier's digitisation counts by
        // its key (migration 32); the sync lag reads the sync rows of the period only.
        const received = await plansOf((db) =>
          countReceivedDigitisation(db, OFFICES, '2026-11-01', '2026-11-30'),
        );
        expect(received[0]).toContain('COVERING INDEX dossiers_office_received_on');
        expect(received[0]).toContain('SEARCH g USING INTEGER PRIMARY KEY');
        const fees = await plansOf((db) =>
          findFeeDossiers(db, OFFICES, '2026-11-01', '2026-11-30'),
        );
        expect(fees[0]).toContain('COVERING INDEX dossiers_office_received_on');
        const channels = await plansOf((db) =>
          countByChannel(db, OFFICES, '2026-11-01', '2026-11-30'),
        );
        expect(channels[0]).toContain('COVERING INDEX dossiers_office_received_on');
        // The sync lag: a range per office of the rows' own office and time (migration 33), no
        // stream looked up.
        const sync = await plansOf((db) => syncRowsIn(db, OFFICES, START, END));
        expect(sync).toHaveLength(1);
        expect(sync[0]).toContain(
          'COVERING INDEX portal_sync_rows_office_created (office_id=? AND created_at>? AND created_at<?)',
        );
        expect(sync[0]).not.toContain('portal_sync_streams');
        // The results awaiting pickup: the offices' ranges of a partial covering index
        // (migration 33), not the status index and a table row each, every office's.
        const stocks = await plansOf((db) => countStocks(db, OFFICES, END));
        const pickup = stocks.filter((p) => p.includes('dossiers_awaiting_pickup'));
        expect(pickup).toEqual([
          expect.stringContaining(
            'COVERING INDEX dossiers_awaiting_pickup (office_id=? AND status=?)',
          ),
        ]);
        for (const plan of stocks) expect(plan).not.toContain('dossiers_status');
      });
    }

    it('analysed before the tracking book was indexed again (the benchmark database)', async () => {
      // Statistics (over some history) for every index but the tracking book's, made again by
      // migration 25: on the 1,000,000-dossier database the planner took it for a narrow index
      // and read a row per receipt. Migration 29 analyses it (and its own index).
      await insertReceipts(1000);
      const sqlite = t.ctx.sqlite!;
      sqlite.exec('analyze');
      sqlite.exec("delete from sqlite_stat1 where idx = 'dossiers_tracking_book'");
      sqlite.exec('analyze sqlite_schema'); // reloads the statistics
      await reportSpeed.down(t.ctx.db);
      await reportSpeed.up(t.ctx.db);
      const analysed = sqlite
        .prepare('select idx from sqlite_stat1 where idx in (?, ?) order by idx')
        .all('dossiers_tracking_book', 'dossiers_results_given');
      expect(analysed).toEqual([
        { idx: 'dossiers_results_given' },
        { idx: 'dossiers_tracking_book' },
      ]);
      const [after] = await plansOf((db) => countReceiptsBeyondTheCounter(db, OFFICES, START, END));
      expect(after).toContain('COVERING INDEX dossiers_receipts_beyond_counter');
    });
  },
);

describe.skipIf(TEST_ENGINE !== 'postgres')(
  'the report reads take their own indexes (PostgreSQL)',
  () => {
    /** The statements `run` issues, compiled for PostgreSQL and not run. */
    async function compiled(run: (db: Kysely<Database>) => Promise<unknown>) {
      const queries: CompiledQuery[] = [];
      const db = new Kysely<Database>({
        dialect: {
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => new DummyDriver(),
          createIntrospector: (d) => new PostgresIntrospector(d),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        },
        log: (event) => void queries.push(event.query),
      });
      await run(db);
      return queries;
    }

    it("the receipts beyond the counter's plain case: the partial index (migration 36)", async () => {
      // A month of receipts in one office, one in fifty online and one in fifty with a fee.
      await insertReceipts(3000, (i) =>
        i % 50 === 0 ? { receiving_channel: 'online' } : i % 50 === 25 ? { fee_vnd: 50_000 } : {},
      );
      await sql`analyze dossiers`.execute(t.ctx.db);
      const [query] = await compiled((db) =>
        countReceiptsBeyondTheCounter(db, OFFICES, START, END),
      );
      const plan = await t.ctx.db.transaction().execute(async (tx) => {
        const { rows } = await tx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${query!.sql}`, [...query!.parameters]),
        );
        return rows.map((r) => r['QUERY PLAN']).join(' | ');
      });
      expect(plan).toContain('dossiers_receipts_beyond_counter');
    });
  },
);
