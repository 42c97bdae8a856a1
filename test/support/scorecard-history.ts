import fc from 'fast-check';
import type { Count } from '../../src/scorecard/indicators.js';
import type { IndexWindow } from '../../src/scorecard/scorecard.repository.js';
import type { TestApp } from './test-app.js';

/**
 * Random histories of offices' records for the service index's tests, and the oracle: each
 * indicator counted row by row over the raw rows, as docs/DOMAIN.md words it. Histories are
 * written behind the app's back, each dossier in one of four ways (`writtenBy`): inserted as it
 * ends; inserted as received at the counter and then updated to its end (its files replaced,
 * its payment paid, its rating changed afterwards); inserted under another office and procedure
 * and then transferred; or written whole and then deleted. The daily tables' triggers see every
 * kind of write.
 */
export const BASE = Date.parse('2026-03-01T00:00:00Z');
export const MINUTE = 60_000;
const iso = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();
const localDay = (minutes: number) =>
  new Date(BASE + minutes * MINUTE + 7 * 3600_000).toISOString().slice(0, 10);
export const SPAN = 45 * 24 * 60; // forty-five days of history, in minutes

const fileArb = fc.record({
  component: fc.constantFrom('1', '2', 'result'),
  state: fc.constantFrom('digitised', 'reused', 'reused_result', 'paper_only'),
  replaced: fc.boolean(),
});
export const dossierArb = fc.record({
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
  writtenBy: fc.constantFrom('insert', 'insert', 'update', 'transfer', 'deleted'),
  rating: fc.option(
    fc.record({
      after: fc.integer({ min: 0, max: 30 * 24 * 60 }),
      level: fc.constantFrom('very_satisfied', 'satisfied', 'unsatisfied'),
    }),
    { freq: 3 },
  ),
});
export type Spec = typeof dossierArb extends fc.Arbitrary<infer T> ? T : never;

/** The offices, officer and procedures of `t`'s seeds, the history writer and the oracle. */
export async function scorecardHistory(t: TestApp) {
  const offices = (
    await t.ctx.db.selectFrom('offices').select('id').orderBy('id').limit(3).execute()
  ).map((r) => r.id);
  const officer = (
    await t.ctx.db.selectFrom('accounts').select('id').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  const procedures = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .orderBy('id')
    .limit(3)
    .execute();
  const importId = (
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
      const mode = spec.writtenBy;
      const accepted = row.intake_outcome === 'accepted';
      const other = procedures[(spec.procedure + 1) % 3]!;
      const first =
        mode === 'update'
          ? {
              ...row,
              status: accepted ? 'received' : row.status,
              receiving_channel: 'counter' as const,
              supplement_requested_at: null,
              result_at: null,
              result_on: null,
              outcome: null,
              returned_at: null,
              closed_at: accepted ? null : row.closed_at,
              due_at: null,
              rescheduled_due_at: null,
            }
          : mode === 'transfer'
            ? {
                ...row,
                office_id: offices[(spec.office + 1) % 3]!,
                procedure_id: other.id,
                procedure_code: other.code,
                procedure_name: other.name,
                report_group: other.report_group,
              }
            : row;
      const { id } = await db
        .insertInto('dossiers')
        .values(first)
        .returning('id')
        .executeTakeFirstOrThrow();
      const later = mode === 'update';
      // Imported history has no files, no payments, no ratings.
      const children = accepted && row.import_id === null;
      const received = Date.parse(row.received_at);
      const fileIds: number[] = [];
      for (const f of children ? spec.files : []) {
        const file = await db
          .insertInto('dossier_files')
          .values({
            dossier_id: id,
            component: f.component,
            component_name: f.component === 'result' ? 'Kết quả' : `Giấy tờ ${f.component}`,
            state: later
              ? 'digitised'
              : (f.state as 'digitised' | 'reused' | 'reused_result' | 'paper_only'),
            paper_reason: f.state === 'paper_only' && !later ? 'Bản giấy' : null,
            created_by: officer,
            created_at: row.received_at,
            replaced_at: f.replaced && !later ? row.received_at : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        fileIds.push(file.id);
      }
      const payment = (() => {
        if (!spec.payment) return null;
        const paidMinutes = Math.min((received - BASE) / MINUTE + spec.payment.after, now);
        const paid = spec.payment.state !== 'due';
        return {
          state: spec.payment.state as 'paid' | 'due' | 'cancelled' | 'refunded',
          method: paid ? spec.payment.method : null,
          paid_amount: paid ? spec.payment.amount : null,
          paid_at: paid ? iso(paidMinutes) : null,
          paid_on: paid ? localDay(paidMinutes) : null,
        };
      })();
      if (children && payment)
        await db
          .insertInto('payments')
          .values({
            dossier_id: id,
            office_id: row.office_id,
            procedure_code: row.procedure_code,
            fee_name: 'Lệ phí',
            reference: `REF${n}`,
            base_amount: spec.payment!.amount,
            amount_due: spec.payment!.amount,
            ...(later
              ? { state: 'due', method: null, paid_amount: null, paid_at: null, paid_on: null }
              : payment),
            created_at: row.received_at,
            updated_at: row.received_at,
          })
          .execute();
      const rating = spec.rating && {
        level: spec.rating.level as 'very_satisfied' | 'satisfied' | 'unsatisfied',
        at: iso(Math.min((received - BASE) / MINUTE + spec.rating.after, now)),
      };
      if (children && rating)
        await db
          .insertInto('ratings')
          .values({
            dossier_id: id,
            comment: '',
            ...(later ? { level: 'unsatisfied', at: row.received_at } : rating),
          })
          .execute();
      if (mode === 'update' || mode === 'transfer') {
        const { import_id: _, ...update } = row;
        await db.updateTable('dossiers').set(update).where('id', '=', id).execute();
      }
      if (later && children) {
        for (const [i, f] of spec.files.entries())
          await db
            .updateTable('dossier_files')
            .set({
              state: f.state as 'digitised' | 'reused' | 'reused_result' | 'paper_only',
              paper_reason: f.state === 'paper_only' ? 'Bản giấy' : null,
              replaced_at: f.replaced ? row.received_at : null,
            })
            .where('id', '=', fileIds[i]!)
            .execute();
        if (payment)
          await db.updateTable('payments').set(payment).where('dossier_id', '=', id).execute();
        if (rating)
          await db.updateTable('ratings').set(rating).where('dossier_id', '=', id).execute();
      }
      if (mode === 'deleted') {
        await db.deleteFrom('ratings').where('dossier_id', '=', id).execute();
        await db.deleteFrom('payments').where('dossier_id', '=', id).execute();
        await db.deleteFrom('dossier_files').where('dossier_id', '=', id).execute();
        await db.deleteFrom('dossiers').where('id', '=', id).execute();
      }
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
      files.filter(
        (f) => f.dossier_id === id && f.replaced_at === null && f.state !== 'paper_only',
      );
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
    const rated = ratings.filter(
      (r) => within(r.at) && dossiers.some((d) => d.id === r.dossier_id),
    );
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
  return { offices, writeHistory, oracle };
}
