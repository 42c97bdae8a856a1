import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/vietnam-time.js';
import { DOSSIER_CODES, MEASURED_CODES, type Count } from '../../src/scorecard/indicators.js';
import { listDossiers, type IndexWindow } from '../../src/scorecard/scorecard.repository.js';
import { countIndicators, windowOf } from '../../src/scorecard/scorecard.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every indicator of the service index against a row-by-row count over the raw rows (the
 * oracle), on random histories written behind the app's back: refused and guided at the
 * counter, paused awaiting papers, withdrawn and stopped, carried over from earlier periods,
 * imported from a tracking book (no files), files replaced or kept on paper, payments cancelled,
 * refunded or of zero, ratings; for random periods, scopes and clocks. The drill-down lists'
 * totals equal the counts.
 */
let t: TestApp;
let offices: number[];
let officer: number;
let importId: number;
let procedures: { id: number; code: string; name: string; report_group: string }[];

beforeAll(async () => {
  t = await createTestApp();
  offices = (
    await t.ctx.db.selectFrom('offices').select('id').orderBy('id').limit(3).execute()
  ).map((r) => r.id);
  officer = (
    await t.ctx.db.selectFrom('accounts').select('id').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  procedures = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .orderBy('id')
    .limit(3)
    .execute();
  importId = (
    await t.ctx.db
      .insertInto('imports')
      .values({
        office_id: offices[0]!,
        account_id: officer,
        file_name: 'so.xlsx',
        file_sha256: 'x'.repeat(64),
        row_count: 0,
        imported_count: 0,
        skipped_count: 0,
        at: '2026-01-01T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

const BASE = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;
const iso = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();
const localDay = (minutes: number) =>
  new Date(BASE + minutes * MINUTE + 7 * 3600_000).toISOString().slice(0, 10);
const SPAN = 45 * 24 * 60; // forty-five days of history, in minutes

const fileArb = fc.record({
  component: fc.constantFrom('1', '2', 'result'),
  state: fc.constantFrom('digitised', 'reused', 'reused_result', 'paper_only'),
  replaced: fc.boolean(),
});
const dossierArb = fc.record({
  office: fc.nat(2),
  procedure: fc.nat(2),
  intake: fc.constantFrom('accepted', 'accepted', 'accepted', 'accepted', 'guided', 'refused'),
  imported: fc.constantFrom(false, false, false, true),
  channel: fc.constantFrom('counter', 'counter', 'online', 'post'),
  receivedAt: fc.integer({ min: 0, max: SPAN }),
  dueAfter: fc.option(fc.integer({ min: 60, max: 15 * 24 * 60 }), { freq: 6 }),
  rescheduleAfter: fc.option(fc.integer({ min: 60, max: 10 * 24 * 60 }), { freq: 1 }),
  fate: fc.constantFrom(
    'open',
    'processing',
    'supplement',
    'result',
    'result',
    'returned',
    'returned',
    'refused',
    'withdrawn',
    'stopped',
  ),
  fateAfter: fc.integer({ min: 1, max: 25 * 24 * 60 }),
  outcome: fc.constantFrom<'early' | 'on_time' | 'late'>('early', 'on_time', 'late'),
  files: fc.array(fileArb, { maxLength: 3 }),
  payment: fc.option(
    fc.record({
      state: fc.constantFrom('paid', 'paid', 'paid', 'due', 'cancelled', 'refunded'),
      method: fc.constantFrom<'cash' | 'transfer' | 'online'>('cash', 'transfer', 'online'),
      amount: fc.constantFrom(0, 50_000, 100_000),
      after: fc.integer({ min: 0, max: 10 * 24 * 60 }),
    }),
    { freq: 4 },
  ),
  rating: fc.option(
    fc.record({
      after: fc.integer({ min: 0, max: 30 * 24 * 60 }),
      level: fc.constantFrom('very_satisfied', 'satisfied', 'unsatisfied'),
    }),
    { freq: 3 },
  ),
});
type Spec = typeof dossierArb extends fc.Arbitrary<infer T> ? T : never;

function dossierRow(d: Spec, now: number) {
  const p = procedures[d.procedure]!;
  const received = Math.min(d.receivedAt, now);
  const at = Math.min(received + d.fateAfter, now);
  const accepted = d.intake === 'accepted';
  const row = {
    office_id: offices[d.office]!,
    procedure_id: p.id,
    procedure_code: p.code,
    procedure_name: p.name,
    report_group: p.report_group,
    processing_days: 5,
    intake_outcome: d.intake as 'accepted' | 'guided' | 'refused',
    status: accepted ? 'received' : d.intake,
    applicant_name: 'Nguyễn Văn An',
    applicant_name_folded: 'nguyen van an',
    address: '',
    note: '',
    receiving_channel: d.channel as 'counter' | 'online' | 'post',
    import_id: accepted && d.imported ? importId : null,
    received_at: iso(received),
    received_on: localDay(received),
    received_by: officer,
    due_at: d.dueAfter === null ? null : iso(received + d.dueAfter),
    rescheduled_due_at:
      d.rescheduleAfter === null || d.dueAfter === null
        ? null
        : iso(received + d.dueAfter + d.rescheduleAfter),
    supplement_requested_at: null as string | null,
    result_at: null as string | null,
    result_on: null as string | null,
    outcome: null as 'early' | 'on_time' | 'late' | null,
    returned_at: null as string | null,
    closed_at: d.intake === 'refused' ? iso(received) : (null as string | null),
    created_at: iso(received),
    updated_at: iso(received),
  };
  if (!accepted) return row;
  switch (d.fate) {
    case 'open':
      return row;
    case 'processing':
      return { ...row, status: 'processing' };
    case 'supplement':
      return { ...row, status: 'supplement_requested', supplement_requested_at: iso(at) };
    case 'result':
    case 'returned':
      return {
        ...row,
        status: d.fate === 'result' ? 'result_ready' : 'returned',
        result_at: iso(at),
        result_on: localDay(at),
        outcome: d.outcome,
        returned_at: d.fate === 'returned' ? iso(Math.min(at + 60, now)) : null,
      };
    default:
      return { ...row, status: d.fate, closed_at: iso(at) };
  }
}

async function writeHistory(specs: Spec[], now: number): Promise<void> {
  const db = t.ctx.db;
  await db.deleteFrom('ratings').execute();
  await db.deleteFrom('payments').execute();
  await db.deleteFrom('dossier_files').execute();
  await db.deleteFrom('dossiers').execute();
  for (const [n, spec] of specs.entries()) {
    const row = dossierRow(spec, now);
    const { id } = await db
      .insertInto('dossiers')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    if (row.intake_outcome !== 'accepted') continue;
    // Imported history has no files, no payments, no ratings.
    if (row.import_id !== null) continue;
    const received = Date.parse(row.received_at);
    for (const f of spec.files)
      await db
        .insertInto('dossier_files')
        .values({
          dossier_id: id,
          component: f.component,
          component_name: f.component === 'result' ? 'Kết quả' : `Giấy tờ ${f.component}`,
          state: f.state as 'digitised' | 'reused' | 'reused_result' | 'paper_only',
          paper_reason: f.state === 'paper_only' ? 'Bản giấy' : null,
          created_by: officer,
          created_at: row.received_at,
          replaced_at: f.replaced ? row.received_at : null,
        })
        .execute();
    if (spec.payment) {
      const paidMinutes = Math.min((received - BASE) / MINUTE + spec.payment.after, now);
      const paid = spec.payment.state !== 'due';
      await db
        .insertInto('payments')
        .values({
          dossier_id: id,
          office_id: row.office_id,
          procedure_code: row.procedure_code,
          fee_name: 'Lệ phí',
          reference: `REF${n}`,
          base_amount: spec.payment.amount,
          amount_due: spec.payment.amount,
          state: spec.payment.state as 'paid' | 'due' | 'cancelled' | 'refunded',
          method: paid ? spec.payment.method : null,
          paid_amount: paid ? spec.payment.amount : null,
          paid_at: paid ? iso(paidMinutes) : null,
          paid_on: paid ? localDay(paidMinutes) : null,
          created_at: row.received_at,
          updated_at: row.received_at,
        })
        .execute();
    }
    if (spec.rating)
      await db
        .insertInto('ratings')
        .values({
          dossier_id: id,
          level: spec.rating.level as 'very_satisfied' | 'satisfied' | 'unsatisfied',
          comment: '',
          at: iso(Math.min((received - BASE) / MINUTE + spec.rating.after, now)),
        })
        .execute();
  }
}

/** The oracle: each indicator counted row by row, as docs/DOMAIN.md §12 words it. */
async function oracle(officeIds: number[], w: IndexWindow): Promise<Record<string, Count>> {
  const db = t.ctx.db;
  const dossiers = (await db.selectFrom('dossiers').selectAll().execute()).filter((d) =>
    officeIds.includes(d.office_id),
  );
  const files = await db.selectFrom('dossier_files').selectAll().execute();
  const payments = await db.selectFrom('payments').selectAll().execute();
  const ratings = await db.selectFrom('ratings').selectAll().execute();
  const within = (x: string | null) => x !== null && x >= w.startIso && x < w.endIso;
  const count = (
    den: (d: (typeof dossiers)[number]) => boolean,
    num: (d: (typeof dossiers)[number]) => boolean,
  ) => ({
    denominator: dossiers.filter(den).length,
    numerator: dossiers.filter((d) => den(d) && num(d)).length,
  });
  const currentFiles = (id: number) =>
    files.filter((f) => f.dossier_id === id && f.replaced_at === null && f.state !== 'paper_only');
  const paidIn = (id: number) =>
    payments.filter(
      (p) =>
        p.dossier_id === id &&
        p.state === 'paid' &&
        Number(p.paid_amount) > 0 &&
        p.paid_on! >= w.from &&
        p.paid_on! <= w.to,
    );
  const accepted = (d: (typeof dossiers)[number]) => d.intake_outcome === 'accepted';
  const native = (d: (typeof dossiers)[number]) => accepted(d) && d.import_id === null;
  const resolved = (d: (typeof dossiers)[number]) => within(d.result_at) && d.outcome !== null;
  const open = (d: (typeof dossiers)[number]) =>
    d.received_at < w.asOfIso &&
    (d.result_at === null || d.result_at >= w.asOfIso) &&
    (d.closed_at === null || d.closed_at >= w.asOfIso) &&
    !(
      d.status === 'supplement_requested' &&
      (d.supplement_requested_at ?? d.received_at) < w.asOfIso
    );
  const due = (d: (typeof dossiers)[number]) => d.rescheduled_due_at ?? d.due_at;
  const paidDossiers = dossiers.filter((d) => paidIn(d.id).length > 0);
  const byProcedure = new Map<string, boolean>();
  for (const d of paidDossiers)
    byProcedure.set(
      d.procedure_code,
      (byProcedure.get(d.procedure_code) ?? false) ||
        paidIn(d.id).some((p) => p.method === 'online'),
    );
  const rated = ratings.filter((r) => within(r.at) && dossiers.some((d) => d.id === r.dossier_id));
  return {
    on_time: count(
      (d) => accepted(d) && (resolved(d) || open(d)),
      (d) =>
        (resolved(d) && d.outcome !== 'late') ||
        (open(d) && (due(d) === null || due(d)! >= w.asOfIso)),
    ),
    online_filed: count(
      (d) => native(d) && within(d.received_at),
      (d) => d.receiving_channel === 'online',
    ),
    digitised: count(
      (d) => native(d) && within(d.received_at),
      (d) => currentFiles(d.id).length > 0,
    ),
    reused: count(
      (d) => native(d) && within(d.received_at),
      (d) =>
        currentFiles(d.id).some(
          (f) => f.component !== 'result' && ['reused', 'reused_result'].includes(f.state),
        ),
    ),
    electronic_result: count(
      (d) => native(d) && within(d.result_at),
      (d) => currentFiles(d.id).some((f) => f.component === 'result'),
    ),
    payment_dossiers: count(
      (d) => paidIn(d.id).length > 0,
      (d) => paidIn(d.id).some((p) => p.method === 'online'),
    ),
    payment_procedures: {
      denominator: byProcedure.size,
      numerator: [...byProcedure.values()].filter(Boolean).length,
    },
    satisfaction: {
      denominator: rated.length,
      numerator: rated.filter((r) => ['very_satisfied', 'satisfied'].includes(r.level)).length,
    },
  };
}

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
          await writeHistory(specs, now);
          const officeIds = officeChoice.map((i) => offices[i]!);
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
            expect(got).toEqual(await oracle(officeIds, w));
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
    };
    const now = 40 * DAY; // 10 April: March has ended
    await writeHistory(
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
    const got = await countIndicators(t.ctx, [offices[0]!], w);
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
    expect(got).toEqual(await oracle([offices[0]!], w));
  });
});
