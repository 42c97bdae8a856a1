import { Router, type Request, type Response } from 'express';
import { postedFields, recallSearch, rememberSearch } from '../http/search-links.js';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { landingPageOf } from '../current-account.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { requireLogin } from '../http/auth.js';
import { handleForm } from '../http/forms.js';
import { setFlash } from '../http/view-locals.js';
import { qrSvg } from '../lib/qr.js';
import { vi } from '../locale/vi.js';
import { ACTIONS, isActionName } from './actions/index.js';
import { getBoard } from './board.service.js';
import { correctionRoutes } from './correction.routes.js';
import { getDossierDetail } from './detail.service.js';
import { actionFormsOf } from './dossier-page.presenter.js';
import { freshKeyFor, rememberFreshKey } from './fresh-keys.js';
import { citizenLookupUrl, displayPlate, isSlipKind } from './record/index.js';
import { dossierToOpen, searchAccessibleDossiers } from './search.service.js';
import { publishedHoursOf } from '../calendar/working-hours.js';
import {
  recordSlipPrinted,
  reissueLookupKey,
  slipViewOf,
  trackingBookReference,
} from './slips/index.js';
import { changeConsent, performAction } from './workflow/index.js';

const searchQuery = z.object({
  q: z.string().max(300, vi.errors.tooLong(300)).optional().default(''),
  page: z.coerce.number().int().min(1).max(10000).optional().default(1),
});

const SLIP_LAYOUTS = ['a4', 'a5', '80mm'] as const;

function refParam(req: Request): string {
  const ref = String(req.params.ref ?? '');
  if (ref.length > 60) throw new NotFoundError(vi.dossiers.errors.notFound);
  return ref;
}

/** Counter pages: today's board, search, the dossier with its timeline and actions, and slips. */
export function dossierRoutes(ctx: AppContext): Router {
  const router = Router();
  // Plates are stored canonical (90B112345) and shown as the plate shows them (90-B1 123.45).
  router.use((_req, res, next) => {
    res.locals.displayPlate = displayPlate;
    next();
  });
  router.use(correctionRoutes(ctx));

  // Each account starts where its work is: the counter's board, or "Hồ sơ của tôi".
  router.get('/', requireLogin, (req, res) => res.redirect(303, landingPageOf(req.account!)));

  router.get('/ho-so/hom-nay', requireLogin, async (req, res) => {
    const officeParam =
      typeof req.query.don_vi === 'string' && /^\d{1,9}$/.test(req.query.don_vi)
        ? Number(req.query.don_vi)
        : undefined;
    const board = await getBoard(ctx, req.account!, officeParam);
    res.render('dossiers/board', { title: vi.nav.board, ...board });
  });

  router.get('/ho-so', requireLogin, async (req, res) => {
    // A posted search comes back as `?tim=<token>` (src/http/search-links.ts); `?q=` still works.
    const recalled = recallSearch(req, ctx.clock.now().getTime());
    const parsed = searchQuery.safeParse({ ...req.query, ...(recalled ?? {}) });
    if (!parsed.success) throw new ValidationError({ q: parsed.error.issues[0]?.message ?? '' });
    const { q, page } = parsed.data;
    // An exact code, or a scanned receipt (its lookup URL), opens the dossier itself.
    const open = page === 1 ? await dossierToOpen(ctx, req.account!, q) : null;
    if (open) return res.redirect(303, `/ho-so/${encodeURIComponent(open)}`);
    const result = await searchAccessibleDossiers(ctx, req.account!, q, page);
    const tim = recalled ? String(req.query.tim) : null;
    res.render('dossiers/search', { title: vi.nav.search, q, page, tim, ...result });
  });
  // The search forms post here, so an ID number or a phone never lands in an address.
  router.post('/ho-so/tim', requireLogin, async (req, res) => {
    const fields = postedFields(req.body, ['q']);
    const parsed = searchQuery.safeParse(fields);
    if (!parsed.success) throw new ValidationError({ q: parsed.error.issues[0]?.message ?? '' });
    const open = await dossierToOpen(ctx, req.account!, parsed.data.q);
    if (open) return res.redirect(303, `/ho-so/${encodeURIComponent(open)}`);
    res.redirect(303, `/ho-so?tim=${rememberSearch(req, fields, ctx.clock.now().getTime())}`);
  });

  async function renderDetail(
    req: Request,
    res: Response,
    status: number,
    extra: {
      errors?: Record<string, string>;
      failedAction?: string;
      values?: Record<string, string>;
      conflict?: string;
    } = {},
  ) {
    const detail = await getDossierDetail(ctx, req.account!, refParam(req));
    const failure = {
      failedAction: extra.failedAction ?? null,
      values: extra.values ?? {},
      errors: extra.errors ?? {},
    };
    res.status(status).render('dossiers/show', {
      actionForms: actionFormsOf(detail, failure, ctx.config),
      title:
        detail.dossier.code ??
        `${vi.dossiers.intakeOutcome[detail.dossier.intake_outcome]} #${detail.dossier.id}`,
      ...detail,
      errors: extra.errors ?? {},
      failedAction: extra.failedAction ?? null,
      values: extra.values ?? {},
      conflict: extra.conflict ?? null,
    });
  }

  router.get('/ho-so/:ref', requireLogin, async (req, res) => {
    await renderDetail(req, res, 200);
  });

  router.post('/ho-so/:ref/hanh-dong/:action', requireLogin, async (req, res) => {
    const action = String(req.params.action);
    if (!isActionName(action)) throw new NotFoundError();
    const ref = refParam(req);
    await handleForm(
      req,
      res,
      async () => {
        const dossier = await performAction(ctx, req.account!, ref, action, req.body);
        // The slip the action produces opens right after it (the action table says which).
        const spec = ACTIONS[action];
        const slip = spec.kind === 'workflow' ? spec.slip : null;
        setFlash(req, vi.dossiers.actionDone(vi.dossiers.action[action] ?? action));
        res.redirect(
          303,
          `/ho-so/${encodeURIComponent(dossier.code ?? String(dossier.id))}${slip ? `/phieu/${slip}` : ''}`,
        );
      },
      (failure) =>
        renderDetail(req, res, failure.status, {
          errors: failure.errors,
          failedAction: action,
          values: failure.values as Record<string, string>,
          conflict: failure.conflict ?? undefined,
        }),
    );
  });

  // The citizen's choice of messages, changed at the counter.
  router.post('/ho-so/:ref/thong-bao', requireLogin, async (req, res) => {
    const ref = refParam(req);
    await handleForm(
      req,
      res,
      async () => {
        const dossier = await changeConsent(ctx, req.account!, ref, req.body);
        setFlash(req, vi.notify.consent.saved);
        res.redirect(303, `/ho-so/${encodeURIComponent(dossier.code ?? String(dossier.id))}`);
      },
      (failure) =>
        renderDetail(req, res, failure.status, {
          errors: failure.errors,
          failedAction: 'consent',
          values: failure.values as Record<string, string>,
          conflict: failure.conflict ?? undefined,
        }),
    );
  });

  router.get('/ho-so/:ref/phieu/:kind', requireLogin, async (req, res) => {
    const kind = String(req.params.kind);
    if (!isSlipKind(kind)) throw new NotFoundError();
    const detail = await getDossierDetail(ctx, req.account!, refParam(req));
    if (!detail.slips.includes(kind)) throw new NotFoundError(vi.dossiers.errors.noSuchSlip);
    const layoutParam = String(req.query.kho ?? '');
    const layout = (SLIP_LAYOUTS as readonly string[]).includes(layoutParam)
      ? layoutParam
      : kind === 'receipt'
        ? 'a5'
        : 'a4';
    const now = ctx.clock.now();
    const key = detail.dossier.code ? freshKeyFor(req, detail.dossier.code, now) : null;
    const lookupUrl =
      key && detail.dossier.code
        ? citizenLookupUrl(ctx.config.publicBaseUrl, detail.dossier.code, key)
        : null;
    res.render(`slips/${kind}`, {
      title: vi.dossiers.slip[kind],
      ...detail,
      slip: slipViewOf(
        kind,
        detail.dossier,
        detail.events,
        detail.forms,
        detail.steps.steps,
        detail.office,
      ),
      kind,
      layout,
      layouts: SLIP_LAYOUTS,
      bodyClass: `slip-page layout-${layout}`,
      lookupKey: key,
      lookupUrl,
      qr: lookupUrl ? await qrSvg(lookupUrl) : null,
      // What other features print on the slip (the fee's VietQR): through the dossier's port.
      extraBlocks: await ctx.dossierExtensions.slipBlocks(detail.dossier, kind),
      printedAt: now,
      officeHours: publishedHoursOf(detail.office),
      autoPrint: req.query.in === '1',
      // Liên 1 for the citizen and Liên 2 travelling with the dossier, printed together on request.
      copies: kind === 'receipt' && req.query.lien === '2' ? 2 : 1,
      bookReference:
        kind === 'receipt' && detail.dossier.code
          ? await trackingBookReference(ctx, detail.dossier)
          : null,
    });
  });

  // Printing from the dossier page goes through here, so every (re)print is an event.
  router.post('/ho-so/:ref/phieu/:kind', requireLogin, async (req, res) => {
    const kind = String(req.params.kind);
    if (!isSlipKind(kind)) throw new NotFoundError();
    const detail = await getDossierDetail(ctx, req.account!, refParam(req));
    if (!detail.slips.includes(kind)) throw new NotFoundError(vi.dossiers.errors.noSuchSlip);
    const ref = detail.dossier.code ?? String(detail.dossier.id);
    if (kind === 'receipt') {
      const key = await reissueLookupKey(ctx, req.account!, ref);
      rememberFreshKey(req, detail.dossier.code!, key, ctx.clock.now());
    } else {
      await recordSlipPrinted(ctx, req.account!, detail.dossier.id, detail.dossier.status, kind);
    }
    const layout =
      typeof req.body?.kho === 'string' &&
      (SLIP_LAYOUTS as readonly string[]).includes(req.body.kho)
        ? `&kho=${req.body.kho}`
        : '';
    res.redirect(303, `/ho-so/${encodeURIComponent(ref)}/phieu/${kind}?in=1${layout}`);
  });

  return router;
}
