import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import {
  strongerState,
  tallyDigitisation,
  tallyDigitisationGroups,
  type ReceivedDossier,
} from '../../src/files/digitisation-tally.js';
import { countReceivedDigitisation } from '../../src/files/report.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The digitisation section's dossiers received in a period, counted in the database (one query
 * for every office). Held here to the definition dossier by dossier: the first version's reads
 * (an office at a time: its dossiers, their checklists, their current files) tallied by
 * tallyDigitisation, on random histories, office choices and periods, on both engines.
 */
let t: TestApp;
let offices: number[];
let officer: number;
let procedures: { id: number; code: string; name: string; report_group: string; docs: number[] }[];

beforeAll(async () => {
  t = await createTestApp();
  offices = (
    await t.ctx.db.selectFrom('offices').select('id').orderBy('id').limit(3).execute()
  ).map((r) => r.id);
  officer = (
    await t.ctx.db.selectFrom('accounts').select('id').orderBy('id').executeTakeFirstOrThrow()
  ).id;
  const rows = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .orderBy('id')
    .limit(3)
    .execute();
  procedures = [];
  for (const p of rows) {
    const docs = await t.ctx.db
      .selectFrom('procedure_documents')
      .select('id')
      .where('procedure_id', '=', p.id)
      .orderBy('id')
      .limit(3)
      .execute();
    procedures.push({ ...p, docs: docs.map((d) => d.id) });
  }
});
afterAll(() => t.close());

const STATES = ['digitised', 'reused', 'reused_result', 'paper_only'] as const;

/** The first version: dossier by dossier, an office at a time (the oracle). */
async function receivedPerDossier(db: Db, officeIds: number[], from: string, to: string) {
  const received: ReceivedDossier[] = [];
  for (const officeId of officeIds) {
    const dossiers = await db
      .selectFrom('dossiers')
      .select(['id', 'procedure_code', 'procedure_name'])
      .where('office_id', '=', officeId)
      .where('received_on', '>=', from)
      .where('received_on', '<=', to)
      .where('intake_outcome', '=', 'accepted')
      .orderBy('id')
      .execute();
    for (const d of dossiers) {
      const checklist = await db
        .selectFrom('dossier_documents')
        .select(['procedure_document_id', 'received'])
        .where('dossier_id', '=', d.id)
        .where('procedure_document_id', 'is not', null)
        .execute();
      const files = await db
        .selectFrom('dossier_files')
        .select(['component', 'state'])
        .where('dossier_id', '=', d.id)
        .where('replaced_at', 'is', null)
        .execute();
      const stateOf = (component: string) =>
        files
          .filter((f) => f.component === component)
          .reduce<string | null>((s, f) => strongerState(s, f.state), null);
      received.push({
        officeId,
        procedureCode: d.procedure_code,
        procedureName: d.procedure_name,
        components: checklist.map((c) => ({
          received: c.received === 1,
          state: stateOf(String(c.procedure_document_id)),
        })),
        electronicResult: files.some((f) => f.component === 'result' && f.state === 'digitised'),
      });
    }
  }
  return received;
}

const fileArb = fc.record({
  state: fc.constantFrom(...STATES),
  replaced: fc.boolean(),
});
const dossierArb = fc.record({
  office: fc.nat(2),
  procedure: fc.nat(2),
  outcome: fc.constantFrom('accepted', 'accepted', 'accepted', 'guided', 'refused'),
  day: fc.integer({ min: 1, max: 20 }),
  renamed: fc.boolean(),
  components: fc.array(
    fc.record({ received: fc.boolean(), files: fc.array(fileArb, { maxLength: 2 }) }),
    { maxLength: 3 },
  ),
  loosePaper: fc.boolean(),
  result: fc.constantFrom('none', 'digitised', 'paper_only', 'replaced'),
});

async function file(
  dossierId: number,
  component: string,
  state: (typeof STATES)[number],
  replaced: boolean,
) {
  await t.ctx.db
    .insertInto('dossier_files')
    .values({
      dossier_id: dossierId,
      component,
      component_name: component,
      state,
      stored_file_id: null,
      reused_from_id: null,
      paper_reason: state === 'paper_only' ? 'Bản giấy' : null,
      valid_until: null,
      created_by: officer,
      created_at: '2026-11-21T01:00:00.000Z',
      replaced_at: replaced ? '2026-11-22T01:00:00.000Z' : null,
      replaced_by: null,
    })
    .execute();
}

describe('dossiers received in a period, counted in the database', () => {
  it('equals the dossier-by-dossier definition on random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { maxLength: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        async (specs, fromDay, span, officeChoice) => {
          await t.ctx.db.deleteFrom('dossier_files').execute();
          await t.ctx.db.deleteFrom('dossier_documents').execute();
          await t.ctx.db.deleteFrom('dossiers').execute();
          for (const [i, d] of specs.entries()) {
            const p = procedures[d.procedure]!;
            const day = `2026-11-${String(d.day).padStart(2, '0')}`;
            const { id } = await t.ctx.db
              .insertInto('dossiers')
              .values({
                office_id: offices[d.office]!,
                procedure_id: p.id,
                procedure_code: p.code,
                // A procedure renamed in the period: one group, the first dossier's name.
                procedure_name: d.renamed ? `${p.name} (tên mới)` : p.name,
                report_group: p.report_group,
                processing_days: 5,
                intake_outcome: d.outcome,
                status: d.outcome === 'accepted' ? 'processing' : d.outcome,
                applicant_name: `Nguyễn Văn ${i}`,
                applicant_name_folded: `nguyen van ${i}`,
                address: '',
                note: '',
                received_at: `${day}T02:00:00.000Z`,
                received_on: day,
                received_by: officer,
                created_at: `${day}T02:00:00.000Z`,
                updated_at: `${day}T02:00:00.000Z`,
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            const components = d.components.slice(0, p.docs.length);
            for (const [position, c] of components.entries()) {
              const doc = p.docs[position]!;
              await t.ctx.db
                .insertInto('dossier_documents')
                .values({
                  dossier_id: id,
                  procedure_document_id: doc,
                  name: `Giấy tờ ${position}`,
                  required: 1,
                  copy_kind: 'original',
                  quantity: 1,
                  received: c.received ? 1 : 0,
                  position,
                })
                .execute();
              for (const f of c.files) await file(id, String(doc), f.state, f.replaced);
            }
            // A paper the officer added by hand (no catalog component): never counted.
            if (d.loosePaper)
              await t.ctx.db
                .insertInto('dossier_documents')
                .values({
                  dossier_id: id,
                  procedure_document_id: null,
                  name: 'Giấy tờ khác',
                  required: 0,
                  copy_kind: 'copy',
                  quantity: 1,
                  received: 1,
                  position: 9,
                })
                .execute();
            if (d.result !== 'none')
              await file(
                id,
                'result',
                d.result === 'paper_only' ? 'paper_only' : 'digitised',
                d.result === 'replaced',
              );
          }
          const officeIds = officeChoice.map((i) => offices[i]!);
          const from = `2026-11-${String(fromDay).padStart(2, '0')}`;
          const to = `2026-11-${String(Math.min(30, fromDay + span)).padStart(2, '0')}`;
          const expected = tallyDigitisation(
            await receivedPerDossier(t.ctx.db, officeIds, from, to),
            [],
          );
          const counted = tallyDigitisationGroups(
            await countReceivedDigitisation(t.ctx.db, officeIds, from, to),
            [],
          );
          expect(counted).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays equal to the definition as checklists and files change after receipt', async () => {
    // dossier_digitisation is kept by triggers (migration 32): every later change of a ticked
    // box or a file (replaced, moved to another state, removed, a result added) must show.
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), dossier: fc.nat(3), at: fc.nat(2) }),
      fc.record({
        kind: fc.constant('file' as const),
        dossier: fc.nat(3),
        at: fc.nat(2),
        state: fc.constantFrom(...STATES),
      }),
      fc.record({ kind: fc.constant('replace' as const), dossier: fc.nat(3) }),
      fc.record({
        kind: fc.constant('restate' as const),
        dossier: fc.nat(3),
        state: fc.constantFrom(...STATES),
      }),
      fc.record({ kind: fc.constant('unfile' as const), dossier: fc.nat(3) }),
      fc.record({ kind: fc.constant('uncheck' as const), dossier: fc.nat(3) }),
      fc.record({ kind: fc.constant('result' as const), dossier: fc.nat(3) }),
      // A checklist row added later, ticked or not, to a component with or without files.
      fc.record({
        kind: fc.constant('recheck' as const),
        dossier: fc.nat(3),
        at: fc.nat(2),
        received: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        await t.ctx.db.deleteFrom('dossier_files').execute();
        await t.ctx.db.deleteFrom('dossier_documents').execute();
        await t.ctx.db.deleteFrom('dossiers').execute();
        const p = procedures[0]!;
        const ids: number[] = [];
        for (let i = 0; i < 4; i++) {
          const day = `2026-11-1${i}`;
          const { id } = await t.ctx.db
            .insertInto('dossiers')
            .values({
              office_id: offices[0]!,
              procedure_id: p.id,
              procedure_code: p.code,
              procedure_name: p.name,
              report_group: p.report_group,
              processing_days: 5,
              intake_outcome: 'accepted',
              status: 'processing',
              applicant_name: `Trần Thị ${i}`,
              applicant_name_folded: `tran thi ${i}`,
              address: '',
              note: '',
              received_at: `${day}T02:00:00.000Z`,
              received_on: day,
              received_by: officer,
              created_at: `${day}T02:00:00.000Z`,
              updated_at: `${day}T02:00:00.000Z`,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids.push(id);
          for (const [position, doc] of p.docs.entries())
            await t.ctx.db
              .insertInto('dossier_documents')
              .values({
                dossier_id: id,
                procedure_document_id: doc,
                name: `Giấy tờ ${position}`,
                required: 1,
                copy_kind: 'original',
                quantity: 1,
                received: position === 0 ? 1 : 0,
                position,
              })
              .execute();
        }
        const latestFile = (dossierId: number) =>
          t.ctx.db
            .selectFrom('dossier_files')
            .select('id')
            .where('dossier_id', '=', dossierId)
            .orderBy('id', 'desc')
            .executeTakeFirst();
        // Checked after every change: a later recomputation of the same dossier would hide a
        // trigger that missed one.
        const check = async () => {
          const expected = tallyDigitisation(
            await receivedPerDossier(t.ctx.db, [offices[0]!], '2026-11-01', '2026-11-30'),
            [],
          );
          const counted = tallyDigitisationGroups(
            await countReceivedDigitisation(t.ctx.db, [offices[0]!], '2026-11-01', '2026-11-30'),
            [],
          );
          expect(counted).toEqual(expected);
        };
        for (const op of ops) {
          await apply(op);
          await check();
        }
        async function apply(op: (typeof ops)[number]) {
          const id = ids[op.dossier]!;
          if (op.kind === 'tick') {
            const doc = p.docs[op.at % p.docs.length]!;
            await t.ctx.db
              .updateTable('dossier_documents')
              .set((eb) => ({ received: eb(eb.val(1), '-', eb.ref('received')) }))
              .where('dossier_id', '=', id)
              .where('procedure_document_id', '=', doc)
              .execute();
          } else if (op.kind === 'file') {
            await file(id, String(p.docs[op.at % p.docs.length]!), op.state, false);
          } else if (op.kind === 'recheck') {
            await t.ctx.db
              .insertInto('dossier_documents')
              .values({
                dossier_id: id,
                procedure_document_id: p.docs[op.at % p.docs.length]!,
                name: 'Giấy tờ bổ sung',
                required: 0,
                copy_kind: 'copy',
                quantity: 1,
                received: op.received ? 1 : 0,
                position: 8,
              })
              .execute();
          } else if (op.kind === 'result') {
            await file(id, 'result', 'digitised', false);
          } else {
            const last = await latestFile(id);
            if (op.kind === 'uncheck') {
              await t.ctx.db
                .deleteFrom('dossier_documents')
                .where('dossier_id', '=', id)
                .where('procedure_document_id', '=', p.docs[p.docs.length - 1]!)
                .execute();
            } else if (!last) return;
            else if (op.kind === 'replace')
              await t.ctx.db
                .updateTable('dossier_files')
                .set({ replaced_at: '2026-11-25T01:00:00.000Z' })
                .where('id', '=', last.id)
                .execute();
            else if (op.kind === 'restate')
              await t.ctx.db
                .updateTable('dossier_files')
                .set({ state: op.state, paper_reason: op.state === 'paper_only' ? 'Giấy' : null })
                .where('id', '=', last.id)
                .execute();
            else await t.ctx.db.deleteFrom('dossier_files').where('id', '=', last.id).execute();
          }
        }
      }),
      { numRuns: 40 },
    );
    // Deleting a dossier (its checklist and files first) leaves no row of it behind.
    const gone = (await t.ctx.db.selectFrom('dossiers').select('id').execute()).map((d) => d.id);
    await t.ctx.db.deleteFrom('dossier_files').execute();
    await t.ctx.db.deleteFrom('dossier_documents').execute();
    await t.ctx.db.deleteFrom('dossiers').execute();
    const left = await t.ctx.db
      .selectFrom('dossier_digitisation')
      .select('dossier_id')
      .where('dossier_id', 'in', gone)
      .execute();
    expect(left).toEqual([]);
  });

  it('counts nothing for no office', async () => {
    expect(await countReceivedDigitisation(t.ctx.db, [], '2026-11-01', '2026-11-30')).toEqual([]);
  });
});
