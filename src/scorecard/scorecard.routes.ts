import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { requireRole } from '../http/auth.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { resolveReportScope, type ReportScope } from '../reports/reports.service.js';
import {
  isDossierCode,
  MEASURED_CODES,
  type IndicatorValue,
  type MeasuredCode,
} from './indicators.js';
import type { IndexPeriod } from './periods.js';
import { scorecardRows, writeScorecardCsv, writeScorecardXlsx } from './scorecard.export.js';
import {
  buildDrillDown,
  buildScorecard,
  buildTrends,
  parsePagePeriod,
  parseRange,
  periodLabel,
  rankOffices,
  serviceIndexQuery,
  type Scorecard,
} from './scorecard.service.js';
import { zodFieldErrors } from '../validation.js';

const t = vi.serviceIndex;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SIDES = ['numerator', 'denominator', 'excluded'] as const;
type Side = (typeof SIDES)[number];

function parseOffice(raw: unknown): number | 'all' {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text || text === 'all') return 'all';
  if (/^\d{1,9}$/.test(text)) return Number(text);
  throw new ValidationError({ office: vi.reports.officeInvalid });
}

function parsePage(raw: unknown): number {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return 1;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1)
    throw new ValidationError({ page: t.errors.pageInvalid });
  return Number(text);
}

/** One indicator as the API answers it. */
function present(v: IndicatorValue) {
  return {
    code: v.def.code,
    group: v.def.group,
    name: t.indicators[v.def.code]!.name,
    formula: t.indicators[v.def.code]!.formula,
    unit: v.def.unit,
    measured: v.status !== 'not_measured',
    status: v.status,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    points: v.points,
    max_points: v.def.maxPoints,
    ...(v.status === 'not_measured' ? { reason: t.indicators[v.def.code]!.reason } : {}),
  };
}

/** The page's rows: each indicator with the period before beside it. */
function pageRows(card: Scorecard) {
  return card.current.values.map((v, i) => ({
    ...present(v),
    groupName: t.groups[v.def.group],
    previous: card.previous.values[i]!,
    listable: isDossierCode(v.def.code) && v.status !== 'not_measured',
  }));
}

/** `/bao-cao/chi-so`: the scorecard page and the dossiers behind each number (supervisors). */
export function scorecardRoutes(ctx: AppContext): Router {
  const router = Router();
  const supervisors = requireRole('supervisor', 'admin');

  async function parse(req: Request) {
    const raw = req.query as Record<string, unknown>;
    const rank = typeof raw.rank === 'string' ? raw.rank.trim() : '';
    if (rank && !(MEASURED_CODES as readonly string[]).includes(rank))
      throw new ValidationError({ rank: t.errors.unknownIndicator });
    const period = parsePagePeriod(raw, localDateOf(ctx.clock.now()));
    const scope = await resolveReportScope(ctx, req.account!, parseOffice(raw.office));
    return { period, scope, rank: (rank || null) as MeasuredCode | null };
  }

  const queryOf = (period: IndexPeriod, scope: ReportScope) =>
    new URLSearchParams({
      kind: period.kind,
      year: String(period.year),
      n: String(period.index),
      office: scope.office ? String(scope.office.id) : 'all',
    }).toString();

  async function render(
    res: Response,
    status: number,
    period: IndexPeriod,
    scope: ReportScope,
    errors: Record<string, string>,
    rank: MeasuredCode | null = null,
  ) {
    const [card, ranking] = await Promise.all([
      buildScorecard(ctx, scope.officeIds, period),
      scope.offices.length > 1 ? rankOffices(ctx, scope.offices, period, rank) : null,
    ]);
    res.status(status).render('scorecard/index', {
      // Printed like the month report: A4 landscape, header and motto, signatures (print.css).
      bodyClass: 'report-page scorecard-page',
      // The place-and-date line is Vietnam's day, not UTC's.
      generatedOn: localDateOf(card.generatedAt),
      ranking,
      rankedCodes: MEASURED_CODES,
      rankedOn: rank,
      title: t.title,
      ix: t,
      card,
      rows: pageRows(card),
      scope,
      period,
      label: periodLabel(period),
      previousLabel: periodLabel(card.previous.period),
      query: queryOf(period, scope),
      errors,
    });
  }

  router.get('/bao-cao/chi-so', supervisors, async (req, res) => {
    try {
      const { period, scope, rank } = await parse(req);
      await render(res, 200, period, scope, {}, rank);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The default scorecard with the bad filter named, rather than an error page.
      const today = localDateOf(ctx.clock.now());
      const scope = await resolveReportScope(ctx, req.account!, 'all');
      await render(res, 422, parsePagePeriod({}, today), scope, err.fields);
    }
  });

  // The scorecard as CSV or XLSX, as the page shows it (the printable page is the page itself).
  router.get('/bao-cao/xuat/chi-so.:ext', supervisors, async (req, res) => {
    const ext = String(req.params.ext);
    if (ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const { period, scope } = await parse(req);
    const card = await buildScorecard(ctx, scope.officeIds, period);
    await recordAudit(ctx.db, {
      at: ctx.clock.now(),
      actor: { id: req.account!.id, username: req.account!.username },
      action: `export.service_index.${ext}`,
      subject: scope.office?.code ?? 'all',
      details: { from: period.from, to: period.to, offices: scope.officeIds },
    });
    const name = `chi-so_${scope.office?.code ?? 'tat-ca-don-vi'}_${period.from}_${period.to}.${ext}`;
    res.setHeader('Content-Type', ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader('Cache-Control', 'no-store');
    const rows = scorecardRows(
      card,
      scope.office?.name ?? t.export.allOffices(scope.offices.length),
    );
    if (ext === 'csv') await writeScorecardCsv(res, rows);
    else await writeScorecardXlsx(res, rows, ctx.clock.now());
  });

  // Each measured indicator over the last twelve months (charts that print).
  router.get('/bao-cao/chi-so/xu-huong', supervisors, async (req, res) => {
    const { period, scope } = await parse(req);
    const trends = await buildTrends(ctx, scope.officeIds, period);
    res.render('scorecard/trends', {
      title: t.trend.heading,
      ix: t,
      trends,
      scope,
      label: periodLabel(period),
      query: queryOf(period, scope),
    });
  });

  router.get('/bao-cao/chi-so/:code/:side', supervisors, async (req, res) => {
    const code = String(req.params.code);
    const side = String(req.params.side) as Side;
    const fields: Record<string, string> = {};
    if (!SIDES.includes(side)) fields.side = t.errors.sideInvalid;
    if (!isDossierCode(code)) fields.code = t.errors.unknownIndicator;
    if (!isDossierCode(code) || Object.keys(fields).length) throw new ValidationError(fields);
    const { period, scope } = await parse(req);
    const page = parsePage((req.query as Record<string, unknown>).page);
    const list = await buildDrillDown(ctx, scope.officeIds, period, code, side, page);
    res.render('scorecard/list', {
      title: t.indicators[code]!.name,
      ix: t,
      code,
      side,
      name: t.indicators[code]!.name,
      formula: t.indicators[code]!.formula,
      sideName: t.sides[side],
      list,
      scope,
      label: periodLabel(period),
      query: queryOf(period, scope),
    });
  });
  return router;
}

/** `GET /api/v1/reports/service-index?from&to&office`: the scorecard for programs (supervisors). */
export function scorecardApiRoutes(ctx: AppContext): Router {
  const router = Router();
  const supervisors = requireRole('supervisor', 'admin');

  router.get('/api/v1/reports/service-index', supervisors, async (req, res) => {
    const parsed = serviceIndexQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    const period = parseRange(q.from.trim(), q.to.trim());
    let office: number | 'all' = 'all';
    if (q.office?.trim()) {
      const code = q.office.trim().toUpperCase();
      const found = (await ctx.masterData.offices()).find((o) => o.code === code);
      if (!found) throw new ValidationError({ office: vi.reports.officeInvalid });
      office = found.id;
    }
    const scope = await resolveReportScope(ctx, req.account!, office);
    const card = await buildScorecard(ctx, scope.officeIds, period);
    const side = (s: Scorecard['current']) => ({
      period: { from: s.period.from, to: s.period.to, kind: s.period.kind },
      as_of: s.asOfIso,
      total: {
        points: s.totals.points,
        max_points_measured: s.totals.scoredMax,
        max_points_empty: s.totals.emptyMax,
        max_points_not_measured: s.totals.notMeasuredMax,
        max_points: s.totals.indexMax,
      },
      indicators: s.values.map(present),
    });
    res.json({
      scope: {
        office: scope.office?.code ?? null,
        offices: scope.offices.map((o) => ({ code: o.code, name: o.name })),
      },
      generated_at: card.generatedAt.toISOString(),
      ...side(card.current),
      previous: side(card.previous),
    });
  });
  return router;
}
