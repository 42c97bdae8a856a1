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
import { COUNT_HEADERS, summaryRows, writeSummaryCsv, writeSummaryXlsx, writeTrackingBookCsv, writeTrackingBookXlsx } from './exporters.js';
import { COUNT_KEYS } from './report-tally.js';
import { buildDeadlineLists, buildReport, buildStepReport, buildTrackingBook, parseReportQuery, reportWindow, resolveReportScope, type ReportQuery, type ReportScope } from './reports.service.js';

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
      return renderReport(res, 422, fallback.q, fallback.scope, err.fields, req.query as Record<string, string>);
    }
    await renderReport(res, 200, parsed.q, parsed.scope, {}, null);
  });

  async function renderReport(res: Response, status: number, q: ReportQuery, scope: ReportScope, errors: Record<string, string>, typed: Record<string, string> | null) {
    const [report, deadlines, stepReport] = await Promise.all([buildReport(ctx, scope, q), buildDeadlineLists(ctx, scope), buildStepReport(ctx, scope, q)]);
    const exportQuery = new URLSearchParams({ period: q.period, from: q.from, to: q.to, office: String(q.office) }).toString();
    res.status(status).render('reports/index', {
      title: vi.nav.reports,
      report,
      deadlines,
      stepReport,
      scope,
      q,
      typed: typed ?? { period: q.period, from: q.from, to: q.to, office: String(q.office) },
      errors,
      countKeys: COUNT_KEYS,
      countHeaders: COUNT_HEADERS,
      exportQuery,
      charts: { received: receivedChart(report.days), onTime: onTimeChart(report.days) },
    });
  }

  async function audit(req: Request, action: string, scope: ReportScope, q: ReportQuery, rows?: number) {
    await recordAudit(ctx.db, {
      at: ctx.clock.now(),
      actor: { id: req.account!.id, username: req.account!.username },
      action,
      subject: scope.office?.code ?? 'all',
      details: { from: q.from, to: q.to, offices: scope.officeIds, ...(rows !== undefined ? { rows } : {}) },
    });
  }

  function attachment(res: Response, name: string, type: string) {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Cache-Control', 'no-store');
  }

  // The tracking book as the printable register (Mẫu 07, A4 landscape), beside its CSV and XLSX.
  router.get('/bao-cao/so-theo-doi', supervisors, async (req, res) => {
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const book = await buildTrackingBook(ctx, scope, q);
    await audit(req, 'export.tracking_book.print', scope, q, book.rows.length);
    await recordAccess(ctx, req.account!, 'export.tracking_book', book.office.code, { format: 'print', from: q.from, to: q.to, rows: book.rows.length });
    res.render('reports/book', { title: vi.forms.sets.tt03!.book.title, ...book, q, bodyClass: 'book-page', printedAt: ctx.clock.now() });
  });

  router.get('/bao-cao/xuat/tong-hop.:ext', supervisors, async (req, res) => {
    const ext = String(req.params.ext);
    if (ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const report = await buildReport(ctx, scope, q);
    await audit(req, `export.summary.${ext}`, scope, q, summaryRows(report).length);
    attachment(res, fileName('bao-cao', scope, q, ext), ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
    if (ext === 'csv') await writeSummaryCsv(res, report, scope);
    else await writeSummaryXlsx(res, report, scope);
  });

  router.get('/bao-cao/xuat/so-theo-doi.:ext', supervisors, async (req, res) => {
    const ext = String(req.params.ext);
    if (ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const { q, scope } = await context(req.query as Record<string, unknown>, req.account!);
    const w = reportWindow(q, ctx.clock.now());
    attachment(res, fileName('so-theo-doi', scope, q, ext), ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
    // Audited before streaming: an export that fails half-way was still attempted.
    await audit(req, `export.tracking_book.${ext}`, scope, q);
    // The writers end the stream they write; the response is ended only after the records
    // below, so whoever receives the whole file finds its export already counted.
    const out = new PassThrough();
    out.pipe(res, { end: false });
    const rows = ext === 'csv' ? await writeTrackingBookCsv(ctx, out, scope, q.from, q.to, w) : await writeTrackingBookXlsx(ctx, out, scope, q.from, q.to, w);
    await finished(out);
    // And when it has gone out, how many dossiers it carried (personal data of each).
    await audit(req, `export.tracking_book.${ext}.finished`, scope, q, rows);
    await recordAccess(ctx, req.account!, 'export.tracking_book', scope.office?.code ?? 'all', { format: ext, from: q.from, to: q.to, rows });
    res.end();
  });

  return router;
}
