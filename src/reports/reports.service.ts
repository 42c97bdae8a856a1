import type { AppContext } from '../context.js';
import type { OfficeRow } from '../db/schema.js';
import type { CurrentAccount } from '../current-account.js';
import { displayPlate, type VehicleKind } from '../dossiers/index.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  localDateOf,
  parseTypedDate,
  startOfLocalDayIso,
} from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { formatDateTime } from '../lib/format.js';
import { compareVietnamese } from '../lib/fold.js';
import { settleLater } from '../lib/promises.js';
import { accountNames } from '../accounts/accounts.service.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { allOffices } from '../offices/offices.service.js';
import { procedureNames, reportGroups } from '../procedures/procedures.service.js';
import {
  COUNT_KEYS,
  tallyByDimension,
  zeroCounts,
  type CountRow,
  type ReportDimension,
} from './report-tally.js';
import { tallySteps } from './step-tally.js';
import { figureLines, periodFigures, previousPeriod } from './figures.js';
import { countBookRows, findBookRows } from './book.repository.js';
import {
  countImportedWithoutSteps,
  findFinishedSteps,
  findOpenStepAlerts,
} from './steps.repository.js';
import { countPerDay, countRatings, sumFlows } from './counters.repository.js';
import {
  countStocks,
  findDueBetween,
  findOverdue,
  findOverdueAt,
  type ReportWindow,
} from './reports.repository.js';

export const PERIODS = ['today', 'week', 'month', 'last_month', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
const MAX_RANGE_DAYS = 3 * 366;

export interface ReportQuery {
  period: Period;
  from: string;
  to: string;
  /** An office id, or 'all': every office the account may see. */
  office: number | 'all';
}

/** Turns the query string into a checked period and office choice (422 with field messages). */
export function parseReportQuery(raw: Record<string, unknown>, today: string): ReportQuery {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const period = (PERIODS as readonly string[]).includes(text(raw.period))
    ? (text(raw.period) as Period)
    : text(raw.period)
      ? null
      : 'month';
  const fields: Record<string, string> = {};
  if (!period) fields.period = vi.reports.periodInvalid;
  let from = today;
  let to = today;
  if (period === 'week') {
    from = addDays(today, -((dayOfWeek(today) + 6) % 7));
    to = addDays(from, 6);
  } else if (period === 'month') {
    from = `${today.slice(0, 7)}-01`;
    to = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
  } else if (period === 'last_month') {
    to = addDays(`${today.slice(0, 7)}-01`, -1);
    from = `${to.slice(0, 7)}-01`;
  } else if (period === 'custom') {
    // Typed as dd/mm/yyyy whatever the browser's language (ISO accepted too).
    from = parseTypedDate(text(raw.from)) ?? text(raw.from);
    to = parseTypedDate(text(raw.to)) ?? text(raw.to);
    if (!isIsoDate(from)) fields.from = vi.reports.fromInvalid;
    if (!isIsoDate(to)) fields.to = vi.reports.toInvalid;
    if (!fields.from && !fields.to && from > to) fields.to = vi.reports.toBeforeFrom;
    if (!fields.from && !fields.to && daysBetween(from, to) > MAX_RANGE_DAYS)
      fields.to = vi.reports.rangeTooLong;
  }
  const officeText = text(raw.office) || 'all';
  const office =
    officeText === 'all' ? 'all' : /^\d{1,9}$/.test(officeText) ? Number(officeText) : null;
  if (office === null) fields.office = vi.reports.officeInvalid;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { period: period!, from, to, office: office! };
}

export interface ReportScope {
  offices: OfficeRow[];
  officeIds: number[];
  /** The chosen office, or null for every office in reach. */
  office: OfficeRow | null;
  choices: OfficeRow[];
}

/** The offices a report covers: the chosen one (if the account may see it) or all in reach. */
export async function resolveReportScope(
  ctx: AppContext,
  account: CurrentAccount,
  office: number | 'all',
): Promise<ReportScope> {
  if (account.role === 'officer') throw new ForbiddenError();
  const reachable = await accessibleOfficeIds(ctx, account);
  const all = await allOffices(ctx);
  const choices = all.filter((o) => reachable.includes(o.id));
  if (office === 'all') return { offices: choices, officeIds: reachable, office: null, choices };
  if (!reachable.includes(office)) throw new ForbiddenError(vi.reports.notYourOffice);
  const chosen = all.find((o) => o.id === office)!;
  return { offices: [chosen], officeIds: [office], office: chosen, choices };
}

export function reportWindow(q: { from: string; to: string }, now: Date): ReportWindow {
  const startIso = startOfLocalDayIso(q.from);
  const endIso = startOfLocalDayIso(addDays(q.to, 1));
  // "As of now" includes what happened at this very millisecond (a result given a moment ago is
  // finished, not in progress): the first instant after now. Timestamps are in milliseconds.
  const justAfterNow = new Date(now.getTime() + 1).toISOString();
  return { startIso, endIso, asOfIso: justAfterNow < endIso ? justAfterNow : endIso };
}

type Group = CountRow & { key: string; label: string; resolved: number; onTimeRate: number | null };

function withRates(row: CountRow & { key: string; label: string }): Group {
  const numbers = Object.fromEntries(
    COUNT_KEYS.map((k) => [k, Number(row[k])]),
  ) as unknown as CountRow;
  const resolved = numbers.resolvedEarly + numbers.resolvedOnTime + numbers.resolvedLate;
  return {
    ...numbers,
    key: row.key,
    label: row.label,
    resolved,
    onTimeRate: resolved ? (numbers.resolvedEarly + numbers.resolvedOnTime) / resolved : null,
  };
}

function total(groups: Group[]): Group {
  const sum = Object.fromEntries(
    COUNT_KEYS.map((k) => [k, groups.reduce((acc, g) => acc + g[k], 0)]),
  ) as unknown as CountRow;
  return withRates({ ...sum, key: 'total', label: vi.reports.total });
}

/**
 * Everything the report page and the summary export show: counts per procedure, report group,
 * office and officer, totals, satisfaction, and per-day series for the charts.
 */
export async function buildReport(ctx: AppContext, scope: ReportScope, q: ReportQuery) {
  const now = ctx.clock.now();
  const w = reportWindow(q, now);
  const previousQuery = previousPeriod(q);
  // Every read that needs nothing read before it starts now: first those the page's next steps
  // wait for, then the features' sections and the period before. On the report read workers
  // they run side by side, in this order.
  const coreRead = Promise.all([
    sumFlows(ctx.reportDb, scope.officeIds, q.from, q.to),
    countStocks(ctx.reportDb, scope.officeIds, w.asOfIso),
    groupLabels(ctx),
    countPerDay(ctx.reportDb, scope.officeIds, q.from, q.to),
  ]);
  const ratingsRead = settleLater(countRatings(ctx.reportDb, scope.officeIds, q.from, q.to));
  const sectionsRead = settleLater(
    ctx.reportExtensions.sections({ officeIds: scope.officeIds, from: q.from, to: q.to }),
  );
  const previousRead = settleLater(
    periodFigures(ctx, scope.officeIds, previousQuery, {
      startIso: startOfLocalDayIso(previousQuery.from),
      endIso: startOfLocalDayIso(addDays(previousQuery.to, 1)),
    }),
  );
  const [flows, stocks, labels, perDay] = await coreRead;
  const groupsBy = (d: ReportDimension) =>
    [...tallyByDimension(flows, stocks, d)]
      .map(([key, counts]) => withRates({ ...counts, key, label: labels[d].get(key) ?? key }))
      .sort((a, b) => compareVietnamese(a.label, b.label));
  // Every report group appears, with zeros where nothing happened: the article's categories.
  const groupRows = groupsBy('report_group');
  const allGroups = await reportGroups(ctx);
  // The article's categories: a catalog group split into categories (vehicle registration into ô
  // tô, mô tô, xe máy điện) shows its categories, and itself only for what no category took.
  const byReportGroup = allGroups
    .filter(
      (g) =>
        !allGroups.some((c) => c.parent_code === g.code) || groupRows.some((r) => r.key === g.code),
    )
    .map(
      (g) =>
        groupRows.find((r) => r.key === g.code) ??
        withRates({ ...zeroCounts(), key: g.code, label: g.name }),
    );
  const byProcedure = groupsBy('procedure');
  const byOffice = groupsBy('office');
  const byOfficer = groupsBy('officer');
  const ratingRows = await ratingsRead;
  const ratings = { very_satisfied: 0, satisfied: 0, unsatisfied: 0 } as Record<string, number>;
  for (const r of ratingRows) ratings[r.level] = Number(r.n);

  const perDayByDay = new Map(perDay.map((r) => [r.day, r]));
  const days: { day: string; received: number; resolved: number; inTime: number }[] = [];
  const spanDays = Math.min(daysBetween(q.from, q.to), 400);
  for (let i = 0; i <= spanDays; i++) {
    const day = addDays(q.from, i);
    const counts = perDayByDay.get(day);
    days.push({
      day,
      received: Number(counts?.received ?? 0),
      resolved: Number(counts?.resolved ?? 0),
      inTime: Number(counts?.inTime ?? 0),
    });
  }
  const [figures, previous, sections] = await Promise.all([
    // The period's flows and ratings, read above, are not read again for its headline figures.
    periodFigures(ctx, scope.officeIds, q, w, { flows, ratings: ratingRows }),
    previousRead,
    // The sections the features above the reports add (fees, digitisation): their port.
    sectionsRead,
  ]);
  return {
    query: q,
    window: w,
    generatedAt: now,
    /** The local day the report is made: its place-and-date line. */
    generatedOn: localDateOf(now),
    figures,
    previous: { ...previousQuery, figures: previous },
    figureLines: figureLines(figures, previous),
    byReportGroup,
    byProcedure,
    byOffice,
    byOfficer,
    totals: total(byReportGroup),
    ratings,
    days,
    sections,
  };
}

/** Names for the group keys of each dimension (catalog, report groups, offices, accounts). */
async function groupLabels(ctx: AppContext): Promise<Record<ReportDimension, Map<string, string>>> {
  const [procedures, groups, offices, accounts] = await Promise.all([
    procedureNames(ctx),
    reportGroups(ctx),
    allOffices(ctx),
    accountNames(ctx),
  ]);
  return {
    procedure: new Map(procedures.map((p) => [p.code, p.name])),
    report_group: new Map(groups.map((g) => [g.code, g.name])),
    office: new Map(offices.map((o) => [String(o.id), o.name])),
    officer: new Map(accounts.map((a) => [String(a.id), a.full_name])),
  };
}

export type Report = Awaited<ReturnType<typeof buildReport>>;

/**
 * Overdue now, and due within the next two working days, for the offices in scope. For a period
 * that has ended, the overdue list is as of its end, like the counters above it (and nothing is
 * "due soon" then).
 */
export async function buildDeadlineLists(ctx: AppContext, scope: ReportScope, asOfIso?: string) {
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const calendar = await ctx.masterData.calendar();
  const horizon = calendar.addWorkingDays(today, 2);
  if (asOfIso && asOfIso <= now.toISOString()) {
    return {
      overdue: await findOverdueAt(ctx.reportDb, scope.officeIds, asOfIso),
      dueSoon: { rows: [], total: 0 },
      today,
      horizon,
      asOfIso,
    };
  }
  const [overdue, dueSoon] = await Promise.all([
    findOverdue(ctx.reportDb, scope.officeIds, now.toISOString()),
    findDueBetween(ctx.reportDb, scope.officeIds, now.toISOString(), today, horizon),
  ]);
  return { overdue, dueSoon, today, horizon, asOfIso: null as string | null };
}

/**
 * The steps after the counter in the period: per processing unit and per officer (finished early,
 * on time, late; open and overdue or at risk at the report's instant), and the working time each
 * kind of step took (median, 90th percentile). Imported dossiers have no steps: counted apart.
 */
export async function buildStepReport(ctx: AppContext, scope: ReportScope, q: ReportQuery) {
  const w = reportWindow(q, ctx.clock.now());
  const [finished, open, imported] = await Promise.all([
    findFinishedSteps(ctx.reportDb, scope.officeIds, w.startIso, w.endIso),
    findOpenStepAlerts(ctx.reportDb, scope.officeIds, w.asOfIso),
    countImportedWithoutSteps(ctx.reportDb, scope.officeIds, q.from, q.to),
  ]);
  return {
    ...tallySteps(finished, open, {
      counter: vi.handover.counterUnit,
      nobody: vi.handover.holderNone,
    }),
    importedWithoutSteps: imported,
    asOfIso: w.asOfIso,
  };
}

export type StepReportView = Awaited<ReturnType<typeof buildStepReport>>;

/** How many rows the printable tracking book shows at once; the exports carry every row. */
export const BOOK_PAGE_LIMIT = 2000;

/** The tracking book of one office (Mẫu 07) as a printable register. */
export async function buildTrackingBook(ctx: AppContext, scope: ReportScope, q: ReportQuery) {
  const office = scope.office ?? scope.offices.find((o) => o.id === scope.officeIds[0])!;
  const w = reportWindow(q, ctx.clock.now());
  const [rows, total] = await Promise.all([
    findBookRows(ctx.reportDb, office.id, w.startIso, w.endIso, BOOK_PAGE_LIMIT),
    countBookRows(ctx.reportDb, office.id, w.startIso, w.endIso),
  ]);
  const parent = office.parent_id
    ? ((await allOffices(ctx)).find((o) => o.id === office.parent_id) ?? null)
    : null;
  // What features above add to each row's notes (which components are digitised): their port.
  const notes = await ctx.reportExtensions.bookNotes(rows.map((r) => r.id));
  return {
    office,
    parent,
    rows: rows.map((r) => ({
      ...r,
      plate: displayPlate(r.vehicle_id, r.vehicle_kind as VehicleKind | null),
      // What features above add, and that the intake was corrected (when it was).
      extraNote: [
        r.intake_corrected_at ? vi.correction.bookNote(formatDateTime(r.intake_corrected_at)) : '',
        notes.get(r.id) ?? '',
      ]
        .filter(Boolean)
        .join('; '),
    })),
    total,
    limit: BOOK_PAGE_LIMIT,
    /** The place-and-date line is the day the book is made, not the period's last day. */
    madeOn: localDateOf(ctx.clock.now()),
  };
}
