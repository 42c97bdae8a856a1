import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { ValidationError } from '../errors.js';
import { addDays, localDateOf, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { parseReportQuery, resolveReportScope } from '../reports/reports.service.js';
import { zodFieldErrors } from '../validation.js';
import { digitisationRates, tallyDigitisationGroups } from './digitisation-tally.js';
import { countReceivedDigitisation, countResultsGiven } from './report.repository.js';

/**
 * The digitisation counts of offices over local days from..to (docs/DOMAIN.md §11): components
 * received, digitised, reused; dossiers fully digitised; results given and given electronically;
 * per office and procedure. Counted in the reporting database (a replica may lag by seconds).
 */
export async function digitisationCounts(
  ctx: AppContext,
  officeIds: number[],
  period: { from: string; to: string },
) {
  const db = ctx.reportDb;
  const startIso = startOfLocalDayIso(period.from);
  const endIso = startOfLocalDayIso(addDays(period.to, 1));
  // The received dossiers are counted a few offices at a time: on the report read workers the
  // pieces run side by side with the results' count and the rest of the report (a month of 20
  // offices: 20 ms in all). Each office's groups come whole from one piece, in the offices' order.
  const pieces: number[][] = [];
  for (let i = 0; i < officeIds.length; i += OFFICES_PER_PIECE)
    pieces.push(officeIds.slice(i, i + OFFICES_PER_PIECE));
  // The results given in two halves of the offices, each on a worker of its own (each half's
  // count sorts half the period's results).
  const half = Math.ceil(officeIds.length / 2);
  const resultPieces = [officeIds.slice(0, half), officeIds.slice(half)];
  const [results, received] = await Promise.all([
    Promise.all(resultPieces.map((ids) => countResultsGiven(db, ids, startIso, endIso))),
    Promise.all(pieces.map((ids) => countReceivedDigitisation(db, ids, period.from, period.to))),
  ]);
  const { groups, totals } = tallyDigitisationGroups(received.flat(), results.flat());
  return { groups, totals, rates: digitisationRates(totals) };
}

const OFFICES_PER_PIECE = 5;

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
