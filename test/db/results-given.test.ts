import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { countResultsGiven } from '../../src/files/report.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The digitisation section's results given in a period: counted for every office at once through
 * the covering index of results (migration 29), the offices and the status checked on its entries.
 * Checked here against the first version (one query per office, everything in its WHERE, a row
 * per dossier, grouped here) on random histories, office choices and periods.
 */
let t: TestApp;
let offices: number[];
let officer: number;
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
});
afterAll(() => t.close());

const BASE = Date.parse('2026-10-20T00:00:00Z');
const HOUR = 3600_000;
const iso = (hours: number) => new Date(BASE + hours * HOUR).toISOString();

/** The first version, office by office (the oracle). */
async function resultsGivenPerOffice(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
) {
  const all = [];
  for (const officeId of officeIds) {
    const rows = await db
      .selectFrom('dossiers as d')
      .select(['d.id', 'd.office_id', 'd.procedure_code', 'd.procedure_name'])
      .select((eb) =>
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('dossier_files as f')
                .select('f.id')
                .whereRef('f.dossier_id', '=', 'd.id')
                .where('f.component', '=', 'result')
                .where('f.state', '=', 'digitised')
                .where('f.replaced_at', 'is', null),
            ),
          )
          .then(1)
          .else(0)
          .end()
          .as('electronic'),
      )
      .where('d.office_id', '=', officeId)
      .where('d.result_at', '>=', startIso)
      .where('d.result_at', '<', endIso)
      .where('d.status', 'in', ['result_ready', 'returned'])
      .orderBy('d.id')
      .execute();
    all.push(...rows.map((r) => ({ ...r, electronic: Number(r.electronic) })));
  }
  // Per office, procedure and name, in order of each group's first dossier.
  const groups = new Map<
    string,
    {
      officeId: number;
      procedureCode: string;
      procedureName: string;
      given: number;
      electronic: number;
    }
  >();
  for (const r of all) {
    const key = `${r.office_id}|${r.procedure_code}|${r.procedure_name}`;
    const g = groups.get(key) ?? {
      officeId: r.office_id,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      given: 0,
      electronic: 0,
    };
    g.given++;
    g.electronic += r.electronic;
    groups.set(key, g);
  }
  return [...groups.values()];
}

const dossierArb = fc.record({
  office: fc.nat(2),
  procedure: fc.nat(2),
  status: fc.constantFrom('result_ready', 'returned', 'processing', 'withdrawn', 'stopped'),
  resultAt: fc.option(fc.integer({ min: 0, max: 60 * 24 }), { freq: 4 }),
  resultFile: fc.constantFrom('none', 'digitised', 'replaced', 'paper_only'),
});

describe('results given in a period, every office at once', () => {
  it('equals the per-office reads on random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { minLength: 0, maxLength: 25 }),
        fc.integer({ min: -48, max: 60 * 24 }),
        fc.integer({ min: 1, max: 40 * 24 }),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        async (specs, startHour, spanHours, officeChoice) => {
          await t.ctx.db.deleteFrom('dossier_files').execute();
          await t.ctx.db.deleteFrom('dossiers').execute();
          for (const [i, d] of specs.entries()) {
            const p = procedures[d.procedure]!;
            const { id } = await t.ctx.db
              .insertInto('dossiers')
              .values({
                office_id: offices[d.office]!,
                procedure_id: p.id,
                procedure_code: p.code,
                procedure_name: p.name,
                report_group: p.report_group,
                processing_days: 5,
                intake_outcome: 'accepted',
                status: d.status,
                applicant_name: `Nguyễn Văn ${i}`,
                applicant_name_folded: `nguyen van ${i}`,
                address: '',
                note: '',
                received_at: iso(-100),
                received_on: '2026-10-16',
                received_by: officer,
                result_at: d.resultAt === null ? null : iso(d.resultAt),
                created_at: iso(-100),
                updated_at: iso(-100),
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            if (d.resultFile !== 'none')
              await t.ctx.db
                .insertInto('dossier_files')
                .values({
                  dossier_id: id,
                  component: 'result',
                  component_name: 'Kết quả',
                  state: d.resultFile === 'paper_only' ? 'paper_only' : 'digitised',
                  stored_file_id: null,
                  reused_from_id: null,
                  paper_reason: d.resultFile === 'paper_only' ? 'Bản giấy' : null,
                  valid_until: null,
                  created_by: officer,
                  created_at: iso(-50),
                  replaced_at: d.resultFile === 'replaced' ? iso(-10) : null,
                  replaced_by: null,
                })
                .execute();
          }
          const officeIds = officeChoice.map((i) => offices[i]!);
          const startIso = iso(startHour);
          const endIso = iso(startHour + spanHours);
          const expected = await resultsGivenPerOffice(t.ctx.db, officeIds, startIso, endIso);
          expect(await countResultsGiven(t.ctx.db, officeIds, startIso, endIso)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads nothing for no office', async () => {
    expect(await countResultsGiven(t.ctx.db, [], iso(0), iso(24))).toEqual([]);
  });
});
