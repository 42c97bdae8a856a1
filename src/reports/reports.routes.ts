import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { recordAccess, recordAudit } from '../audit/audit.service.js';
import { requireRole } from '../http/auth.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { onTimeChart, receivedChart } from './charts.js';
import {
  COUNT_HEADERS,
  summaryRows,
  writeSummaryCsv,
  writeSummaryXlsx,
  writeTrackingBookCsv,
  writeTrackingBookXlsx,
} from './exporters.js';
import { COUNT_KEYS } from './report-tally.js';
import { z } from 'zod';
import { countMessages } from '../notifications/admin.service.js';
import { zodFieldErrors } from '../validation.js';
import {
  buildDeadlineLists,
  buildReport,
  buildStepReport,
  buildTrackingBook,
  type Report,
  parseReportQuery,
  reportWindow,
  resolveReportScope,
  type ReportQuery,
  type ReportScope,
} from './reports.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function fileName(kind: string, scope: ReportScope, q: ReportQuery, ext: string): string {
  const office = scope.office ? scope.office.code : 'tat-ca-don-vi';
  return `${kind}_${office}_${q.from}_${q.to}.${ext}`;
}

/** Supervisors' reports: counts, rates, charts, deadline lists, and streamed CSV / XLSX exports. */
export function reportRoutes(ctx: AppContext): Router {
  const router = Router();
  const supervisors = requireRole('supervisor', 'admin');

  async function context(query: Record<string, unknown>, account: NonNullable<Request['account']>) {
    const q = parseReportQuery(query, localDateOf(ctx.clock.now()));
    const scope = await resolveReportScope(ctx, account, q.office);
    return { q, scope };
  }

  router.get('/bao-cao', supervisors, async (req, res) => {
    let parsed;
    try {
      parsed = await context(req.query as Record<string, unknown>, req.account!);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // Show the default report with the bad filter marked, rather than an error page.
      const fallback = await context({}, req.account!);
      return renderReport(
        res,
        422,
        fallback.q,
        fallback.scope,
        err.fields,
        req.query as Record<string, string>,
      );
    }
    await renderReport(res, 200, parsed.q, parsed.scope, {}, null);
  });

  async function renderReport(
    res: Response,
    status: number,
    q: ReportQuery,
    scope: ReportScope,
    errors: Record<string, string>,
    typed: Record<string, string> | null,
  ) {
    const w = reportWindow(q, ctx.clock.now());
    // A period that has ended lists what was overdue at its end, as its counters count.
    const pastEnd = w.asOfIso === w.endIso ? w.endIso : undefined;
    const [report, deadlines, stepReport, messages] = await Promise.all([
      buildReport(ctx, scope, q),
      buildDeadlineLists(ctx, scope, pastEnd),
      buildStepReport(ctx, scope, q),
      countMessages(ctx, scope.officeIds, w.startIso, w.endIso),
    ]);
    const exportQuery = new URLSearchParams({
      period: q.period,
      from: q.from,
      to: q.to,
      office: String(q.office),
    }).toString();
    res.status(status).render('reports/index', {
      bodyClass: 'report-page',
      title: vi.nav.reports,
      report,
      deadlines,
      stepReport,
      messages,
      scope,
      q,
      typed: typed ?? { period: q.period, from: q.from, to: q.to, office: String(q.office) },
      errors,
      countKeys: COUNT_KEYS,
      countHeaders: COUNT_HEADERS,
      // A table of up to this many rows is printed whole on one page (print.css, `.keep`).
      keepRows: 15,
      exportQuery,
      charts: { received: receivedChart(report.days), onTime: onTimeChart(report.days) },
    });
  }

  async function audit(
    req: Request,
    action: string,
    scope: ReportScope,
    q: ReportQuery,
    rows?: number,
  ) {
    await recordAudit(ctx.db, {
      at: ctx.clock.now(),
      actor: { id: req.account!.id, username: req.account!.username },
      action,
      subject: scope.office?.code ?? 'all',
      details: {
        from: q.from,
        to: q.to,
        offices: scope.officeIds,
        ...(rows !== undefined ? { rows } : {}),
      },
    });
  }

  function attachment(res: Response, name: string, type: string) {
    res.setHeader('Content-Type', type);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader('Cache-Control', 'no-store');
  }

  // The tracking book as the printable register (Mẫu 07, A4 landscape), beside its CSV and XLSX.
  router.get('/bao-cao/so-theo-doi', supervisors, async (req, res) => {
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const book = await buildTrackingBook(ctx, scope, q);
    await audit(req, 'export.tracking_book.print', scope, q, book.rows.length);
    await recordAccess(ctx, req.account!, 'export.tracking_book', book.office.code, {
      format: 'print',
      from: q.from,
      to: q.to,
      rows: book.rows.length,
    });
    res.render('reports/book', {
      title: vi.forms.sets.tt03!.book.title,
      ...book,
      q,
      bodyClass: 'book-page',
      printedAt: ctx.clock.now(),
    });
  });

  router.get('/bao-cao/xuat/tong-hop.:ext', supervisors, async (req, res) => {
    const ext = String(req.params.ext);
    if (ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const report = await buildReport(ctx, scope, q);
    await audit(req, `export.summary.${ext}`, scope, q, summaryRows(report).length);
    attachment(
      res,
      fileName('bao-cao', scope, q, ext),
      ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    );
    if (ext === 'csv') await writeSummaryCsv(res, report, scope);
    else await writeSummaryXlsx(res, report, scope);
  });

  router.get('/bao-cao/xuat/so-theo-doi.:ext', supervisors, async (req, res) => {
    const ext = String(req.params.ext);
    if (ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const w = reportWindow(q, ctx.clock.now());
    attachment(
      res,
      fileName('so-theo-doi', scope, q, ext),
      ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    );
    // Audited before streaming: an export that fails half-way was still attempted.
    await audit(req, `export.tracking_book.${ext}`, scope, q);
    // The writers end the stream they write; the response is ended only after the records
    // below, so whoever receives the whole file finds its export already counted.
    const out = new PassThrough();
    out.pipe(res, { end: false });
    const rows =
      ext === 'csv'
        ? await writeTrackingBookCsv(ctx, out, scope, q.from, q.to, w)
        : await writeTrackingBookXlsx(ctx, out, scope, q.from, q.to, w);
    await finished(out);
    // And when it has gone out, how many dossiers it carried (personal data of each).
    await audit(req, `export.tracking_book.${ext}.finished`, scope, q, rows);
    await recordAccess(ctx, req.account!, 'export.tracking_book', scope.office?.code ?? 'all', {
      format: ext,
      from: q.from,
      to: q.to,
      rows,
    });
    res.end();
  });

  return router;
}

const isoDay = z
  .string({ message: vi.reports.fromInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, vi.reports.fromInvalid);
export const summaryQuery = z.object({
  from: isoDay,
  to: z
    .string({ message: vi.reports.toInvalid })
    .regex(/^\d{4}-\d{2}-\d{2}$/, vi.reports.toInvalid),
  office: z.string().max(40, vi.errors.tooLong(40)).optional(),
});

/** A report row as the API shows it: the same numbers as the page's table. */
function presentGroup(g: Report['totals']) {
  return {
    key: g.key,
    label: g.label,
    ...Object.fromEntries(COUNT_KEYS.map((k) => [k, g[k]])),
    resolved: g.resolved,
    on_time_rate: g.onTimeRate,
  };
}

/** `GET /api/v1/reports/summary` and `/deadlines`: the report page's figures for programs (supervisors, administrators). */
export function reportApiRoutes(ctx: AppContext): Router {
  const router = Router();
  const supervisors = requireRole('supervisor', 'admin');

  async function apiContext(req: Request, dates: boolean) {
    const parsed = (
      dates ? summaryQuery : summaryQuery.partial({ from: true, to: true })
    ).safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const today = localDateOf(ctx.clock.now());
    let office: number | 'all' = 'all';
    if (parsed.data.office) {
      const found = (await ctx.masterData.offices()).find(
        (o) => o.code === parsed.data.office!.toUpperCase(),
      );
      if (!found) throw new ValidationError({ office: vi.reports.officeInvalid });
      office = found.id;
    }
    const q = parseReportQuery(
      {
        period: 'custom',
        from: parsed.data.from ?? today,
        to: parsed.data.to ?? today,
        office: String(office),
      },
      today,
    );
    const scope = await resolveReportScope(ctx, req.account!, q.office);
    return { q, scope };
  }
  const scopeOf = (scope: ReportScope) => ({
    office: scope.office?.code ?? null,
    offices: scope.offices.map((o) => ({ code: o.code, name: o.name })),
  });

  router.get('/api/v1/reports/summary', supervisors, async (req, res) => {
    const { q, scope } = await apiContext(req, true);
    const report = await buildReport(ctx, scope, q);
    res.json({
      period: { from: q.from, to: q.to },
      scope: scopeOf(scope),
      generated_at: report.generatedAt.toISOString(),
      figures: report.figures,
      previous: report.previous,
      totals: presentGroup(report.totals),
      by_report_group: report.byReportGroup.map(presentGroup),
      by_procedure: report.byProcedure.map(presentGroup),
      by_office: report.byOffice.map(presentGroup),
      by_officer: report.byOfficer.map(presentGroup),
      ratings: report.ratings,
      // The features' sections under their keys: `fees`, `digitisation`.
      ...Object.fromEntries(report.sections.map((s) => [s.key, s.data])),
    });
  });

  router.get('/api/v1/reports/deadlines', supervisors, async (req, res) => {
    const { scope } = await apiContext(req, false);
    const lists = await buildDeadlineLists(ctx, scope);
    const row = (d: {
      code: string | null;
      procedure_name: string;
      applicant_name: string;
      received_at: string;
      due_at: string | null;
      rescheduled_due_at: string | null;
      status: string;
    }) => ({
      code: d.code,
      procedure: d.procedure_name,
      applicant: d.applicant_name,
      received_at: d.received_at,
      due_at: d.rescheduled_due_at ?? d.due_at,
      status: d.status,
    });
    res.json({
      scope: scopeOf(scope),
      as_of: ctx.clock.now().toISOString(),
      overdue: { total: lists.overdue.total, dossiers: lists.overdue.rows.map(row) },
      due_soon: {
        until: lists.horizon,
        total: lists.dueSoon.total,
        dossiers: lists.dueSoon.rows.map(row),
      },
    });
  });
  return router;
}
