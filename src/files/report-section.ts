import { compareVietnamese } from '../lib/fold.js';
import type { AppContext } from '../context.js';
import { viReportSections } from '../locale/vi-report-sections.js';
import type { ReportExtension, ReportValue } from '../reports/extensions.js';
import { digitisationCounts } from './digitisation-report.service.js';
import { RESULT } from './file-access.js';
import { findChecklists, findCurrentStates } from './report.repository.js';
import {
  digitisationOf,
  digitisationRates,
  emptyCounts,
  strongerState,
  type DigitisationCounts,
  type DigitisationGroup,
} from './digitisation-tally.js';

/**
 * The report's digitisation section (docs/DOMAIN.md §11): per office and per procedure, the
 * components received, digitised and reused, dossiers fully digitised, with a digitised
 * component or result, with a reuse, and results issued electronically, with QĐ 766's rates.
 */
const S = viReportSections;
const D = S.digitisation;
const KEYS = [
  'dossiersReceived',
  'componentsReceived',
  'componentsDigitised',
  'componentsReused',
  'componentsPaperOnly',
  'dossiersFullyDigitised',
  'dossiersWithDigitised',
  'dossiersWithReuse',
  'resultsGiven',
  'resultsElectronic',
] as const satisfies readonly (keyof DigitisationCounts)[];

function sumBy<K>(groups: DigitisationGroup[], keyOf: (g: DigitisationGroup) => K) {
  const out = new Map<K, { label: DigitisationGroup; counts: DigitisationCounts }>();
  for (const g of groups) {
    const k = keyOf(g);
    const entry = out.get(k) ?? { label: g, counts: emptyCounts() };
    for (const key of KEYS) entry.counts[key] += g[key];
    out.set(k, entry);
  }
  return [...out.values()];
}

function line(label: string, c: DigitisationCounts): ReportValue[] {
  const rates = digitisationRates(c);
  return [
    label,
    ...KEYS.map((k) => c[k]),
    rates.dossierDigitisationRate,
    rates.reuseRate,
    rates.electronicResultRate,
  ];
}

const snake = (c: DigitisationCounts) => ({
  dossiers_received: c.dossiersReceived,
  components_received: c.componentsReceived,
  components_digitised: c.componentsDigitised,
  components_reused: c.componentsReused,
  components_paper_only: c.componentsPaperOnly,
  dossiers_fully_digitised: c.dossiersFullyDigitised,
  dossiers_with_digitised: c.dossiersWithDigitised,
  dossiers_with_reuse: c.dossiersWithReuse,
  results_given: c.resultsGiven,
  results_electronic: c.resultsElectronic,
});

const snakeRates = (c: DigitisationCounts) => {
  const r = digitisationRates(c);
  return {
    dossier_digitisation_rate: r.dossierDigitisationRate,
    component_digitisation_rate: r.componentDigitisationRate,
    reuse_rate: r.reuseRate,
    electronic_result_rate: r.electronicResultRate,
  };
};

/** The tracking book's note per dossier: how many of its components are digitised. */
async function bookNotes(ctx: AppContext, dossierIds: number[]): Promise<Map<number, string>> {
  const notes = new Map<number, string>();
  for (let i = 0; i < dossierIds.length; i += 500) {
    const ids = dossierIds.slice(i, i + 500);
    const [checklists, states] = await Promise.all([
      findChecklists(ctx.reportDb, ids),
      findCurrentStates(ctx.reportDb, ids),
    ]);
    const stateOf = new Map<string, string | null>();
    for (const s of states) {
      const key = `${s.dossier_id}:${s.component}`;
      stateOf.set(key, strongerState(stateOf.get(key) ?? null, s.state));
    }
    for (const id of ids) {
      const components = checklists
        .filter((c) => c.dossier_id === id)
        .map((c) => ({
          received: c.received === 1,
          state: stateOf.get(`${id}:${c.procedure_document_id}`) ?? null,
        }));
      const d = digitisationOf(components);
      const electronic = stateOf.get(`${id}:${RESULT}`) === 'digitised';
      if (d.handed > 0 || electronic)
        notes.set(id, D.bookNote(d.digitised, d.handed, d.reused, electronic));
    }
  }
  return notes;
}

export function filesReportExtension(ctx: AppContext): ReportExtension {
  return {
    bookNotes: (ids) => bookNotes(ctx, ids),
    async sections({ officeIds, from, to }) {
      const [{ groups, totals }, offices] = await Promise.all([
        digitisationCounts(ctx, officeIds, { from, to }),
        ctx.masterData.offices(),
      ]);
      const officeOf = new Map(offices.map((o) => [o.id, o]));
      const byOffice = sumBy(groups, (g) => g.officeId);
      const byProcedure = sumBy(groups, (g) => g.procedureCode).sort((a, b) =>
        compareVietnamese(a.label.procedureName, b.label.procedureName),
      );
      const columns = [
        ...KEYS.map((k) => ({ label: D[k], kind: 'count' as const })),
        { label: D.dossierRate, kind: 'percent' as const },
        { label: D.reuseRate, kind: 'percent' as const },
        { label: D.electronicRate, kind: 'percent' as const },
      ];
      return [
        {
          key: 'digitisation',
          title: D.title,
          note: D.note,
          tables: [
            {
              key: 'digitisation-by-office',
              caption: D.byOffice,
              columns: [{ label: S.office, kind: 'text' }, ...columns],
              rows: byOffice.map((o) =>
                line(officeOf.get(o.label.officeId)?.name ?? String(o.label.officeId), o.counts),
              ),
              total: line(S.total, totals),
            },
            {
              key: 'digitisation-by-procedure',
              caption: D.byProcedure,
              columns: [{ label: S.procedure, kind: 'text' }, ...columns],
              rows: byProcedure.map((p) => line(p.label.procedureName, p.counts)),
              total: line(S.total, totals),
            },
          ],
          data: {
            by_office: byOffice.map((o) => ({
              office: officeOf.get(o.label.officeId)?.code ?? null,
              ...snake(o.counts),
              ...snakeRates(o.counts),
            })),
            by_procedure: byProcedure.map((p) => ({
              procedure_code: p.label.procedureCode,
              procedure_name: p.label.procedureName,
              ...snake(p.counts),
              ...snakeRates(p.counts),
            })),
            totals: { ...snake(totals), ...snakeRates(totals) },
          },
        },
      ];
    },
  };
}
