import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { ValidationError } from '../errors.js';
import { addDays, localDateOf, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { parseReportQuery, resolveReportScope } from '../reports/reports.service.js';
import { zodFieldErrors } from '../validation.js';
import { RESULT } from './file-access.js';
import {
  digitisationRates,
  tallyDigitisation,
  type ReceivedDossier,
  type ResultGiven,
} from './digitisation-tally.js';
import {
  findChecklists,
  findCurrentStates,
  findReceivedDossiers,
  findResultsGiven,
} from './report.repository.js';

const BATCH = 500;

/**
 * The digitisation counts of offices over local days from..to (docs/DOMAIN.md §11): components
 * received, digitised, reused; dossiers fully digitised; results given and given electronically;
 * per office and procedure. Read from the reporting database (a replica may lag by seconds).
 */
export async function digitisationCounts(
  ctx: AppContext,
  officeIds: number[],
  period: { from: string; to: string },
) {
  const db = ctx.readDb;
  const received: ReceivedDossier[] = [];
  const results: ResultGiven[] = [];
  const startIso = startOfLocalDayIso(period.from);
  const endIso = startOfLocalDayIso(addDays(period.to, 1));
  for (const officeId of officeIds) {
    const dossiers = await findReceivedDossiers(db, officeId, period.from, period.to);
    for (let i = 0; i < dossiers.length; i += BATCH) {
      const batch = dossiers.slice(i, i + BATCH);
      const ids = batch.map((d) => d.id);
      const [checklists, states] = await Promise.all([
        findChecklists(db, ids),
        findCurrentStates(db, ids),
      ]);
      const stateOf = new Map(states.map((s) => [`${s.dossier_id}:${s.component}`, s.state]));
      const docsOf = new Map<number, typeof checklists>();
      for (const c of checklists)
        docsOf.set(c.dossier_id, [...(docsOf.get(c.dossier_id) ?? []), c]);
      for (const d of batch) {
        received.push({
          officeId,
          procedureCode: d.procedure_code,
          procedureName: d.procedure_name,
          components: (docsOf.get(d.id) ?? []).map((c) => ({
            received: c.received === 1,
            state: stateOf.get(`${d.id}:${c.procedure_document_id}`) ?? null,
          })),
          electronicResult: stateOf.get(`${d.id}:${RESULT}`) === 'digitised',
        });
      }
    }
  }
  // The results of every office at once: one range of a covering index (migration 29).
  for (const r of await findResultsGiven(db, officeIds, startIso, endIso))
    results.push({
      officeId: r.office_id,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      electronic: r.electronic === 1,
    });
  const { groups, totals } = tallyDigitisation(received, results);
  return { groups, totals, rates: digitisationRates(totals) };
}

export const digitisationQuery = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, vi.reports.fromInvalid)
    .describe('First local day (YYYY-MM-DD)'),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, vi.reports.toInvalid)
    .describe('Last local day (YYYY-MM-DD)'),
  office: z
    .string()
    .max(40, vi.errors.tooLong(40))
    .optional()
    .describe('An office code; default every office in reach'),
});

/** `GET /api/v1/reports/digitisation`: supervisors and administrators, their offices. */
export async function digitisationReport(ctx: AppContext, account: CurrentAccount, raw: unknown) {
  const parsed = digitisationQuery.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  const offices = await ctx.masterData.offices();
  let office: number | 'all' = 'all';
  if (parsed.data.office) {
    const found = offices.find((o) => o.code === parsed.data.office!.toUpperCase());
    if (!found) throw new ValidationError({ office: vi.reports.officeInvalid });
    office = found.id;
  }
  const q = parseReportQuery(
    { period: 'custom', from: parsed.data.from, to: parsed.data.to, office: String(office) },
    localDateOf(ctx.clock.now()),
  );
  const scope = await resolveReportScope(ctx, account, q.office);
  const counts = await digitisationCounts(ctx, scope.officeIds, q);
  const codeOf = new Map(offices.map((o) => [o.id, o.code]));
  return { from: q.from, to: q.to, office: scope.office?.code ?? null, codeOf, ...counts };
}
