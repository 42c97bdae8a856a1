import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { digitisationReport } from './digitisation-report.service.js';
import type { DigitisationCounts } from './digitisation-tally.js';
import { idParam } from '../http/params.js';
import { vi } from '../locale/vi.js';
import { attachFiles } from './attach.service.js';
import { openFileContent } from './content.service.js';
import {
  componentsOf,
  listDossierFiles,
  type ComponentView,
  type FileView,
} from './files-view.service.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { sendFile } from './send-file.js';

/** The multipart fields of `POST /api/v1/dossiers/:ref/files` (for the OpenAPI document). */
export const uploadFields = z.object({
  file: z.string().describe('One or more files (PDF, JPEG, PNG), each a part named `file`'),
  component: z
    .string()
    .describe(
      'The procedure document id of the component (its `id` in GET /api/v1/procedures/:code), or `result`',
    ),
  mode: z
    .enum(['replace', 'add'])
    .optional()
    .describe('replace (default): a new scan; add: more pages'),
  valid_until: z.string().optional().describe('The paper’s own expiry (YYYY-MM-DD), for reuse'),
});
export const contentQuery = z.object({
  download: z.enum(['1']).optional().describe('1: Content-Disposition attachment (default inline)'),
});

function presentFile(f: FileView) {
  return {
    id: f.id,
    state: f.state,
    sha256: f.sha256,
    size: f.size,
    pages: f.pages,
    content_type: f.contentType,
    position: f.position,
    by: { id: f.byId, name: f.by },
    at: f.at,
    deleted: f.deleted,
    reused_from: f.reusedFrom
      ? {
          dossier_id: f.reusedFrom.dossierId,
          dossier_code: f.reusedFrom.dossierCode,
          file_id: f.reusedFrom.fileId,
        }
      : null,
    valid_until: f.validUntil,
    replaced_at: f.replacedAt,
    content_url: `/api/v1/files/${f.id}/content`,
  };
}

export function presentComponent(c: ComponentView) {
  return {
    component: c.key,
    name: c.name,
    required: c.required,
    received: c.received,
    state: c.state,
    digitisation_code: c.code,
    pages: c.pages,
    size: c.size,
    by: c.by,
    at: c.at,
    paper_reason: c.paperReason,
    files: c.files.map(presentFile),
    history: c.history.map(presentFile),
  };
}

function refOf(req: Request): string {
  const ref = String(req.params.ref ?? '');
  if (ref.length > 60) throw new NotFoundError(vi.dossiers.errors.notFound);
  return ref;
}

/** The files API (docs/API.md "Files"). */
export function fileApiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/api/v1/dossiers/:ref/files', requireLogin, async (req, res) => {
    if (!req.is('multipart/form-data'))
      throw new ValidationError(
        { file: vi.files.errors.notMultipart },
        vi.files.errors.notMultipart,
      );
    const body = (req.body ?? {}) as Record<string, unknown>;
    const component = typeof body.component === 'string' ? body.component.trim() : '';
    if (!component) throw new ValidationError({ component: vi.files.errors.componentUnknown });
    const ref = refOf(req);
    await attachFiles(
      ctx,
      req.account!,
      ref,
      component,
      req.spooled ?? [],
      req.uploadError ?? null,
      {
        mode: body.mode,
        valid_until: body.valid_until,
      },
    );
    const dossier = await loadAccessibleDossier(ctx, req.account!, ref);
    const { components, result } = await componentsOf(ctx, dossier);
    const view = component === 'result' ? result : components.find((c) => c.key === component)!;
    res
      .status(201)
      .json({ dossier: dossier.code ?? dossier.id, component: presentComponent(view) });
  });

  router.get('/api/v1/dossiers/:ref/files', requireLogin, async (req, res) => {
    const { dossier, components, result } = await listDossierFiles(ctx, req.account!, refOf(req));
    res.json({
      dossier: dossier.code ?? dossier.id,
      components: components.map(presentComponent),
      result: presentComponent(result),
      electronic_result: result.state === 'digitised' && result.files.length > 0,
    });
  });

  router.get('/api/v1/files/:id/content', requireLogin, async (req, res) => {
    const disposition = req.query.download === '1' ? 'attachment' : 'inline';
    await sendFile(res, await openFileContent(ctx, req.account!, idParam(req), disposition));
  });

  return router;
}

/** `GET /api/v1/reports/digitisation?from&to&office`: the digitisation counts (supervisors, administrators). */
export function digitisationApiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(
    '/api/v1/reports/digitisation',
    requireRole('supervisor', 'admin'),
    async (req, res) => {
      const report = await digitisationReport(ctx, req.account!, req.query);
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
      res.json({
        from: report.from,
        to: report.to,
        office: report.office,
        totals: snake(report.totals),
        rates: {
          dossier_digitisation: report.rates.dossierDigitisationRate,
          component_digitisation: report.rates.componentDigitisationRate,
          reuse: report.rates.reuseRate,
          electronic_result: report.rates.electronicResultRate,
        },
        rows: report.groups.map((g) => ({
          office: report.codeOf.get(g.officeId) ?? null,
          procedure: { code: g.procedureCode, name: g.procedureName },
          ...snake(g),
        })),
      });
    },
  );
  return router;
}
