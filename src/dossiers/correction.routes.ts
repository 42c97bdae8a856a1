import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { requireLogin } from '../http/auth.js';
import { handleForm, typedValues } from '../http/forms.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { ACTIONS } from './actions/index.js';
import { correctionPage, type FormValues } from './correction-page.js';
import { rememberFreshKey } from './fresh-keys.js';
import { correctIntake } from './intake/index.js';

const PAGE = ACTIONS.correct_intake.page;

function refParam(req: Request): string {
  const ref = String(req.params.ref ?? '');
  if (ref.length > 60) throw new NotFoundError(vi.dossiers.errors.notFound);
  return ref;
}

/**
 * Correcting a wrong intake on its own page (the action table's `correct_intake`): the form
 * pre-filled with the dossier, "Đổi thủ tục" to show another procedure's checklist and date
 * (nothing saved), and the save, which recomputes the date, reissues the lookup key and opens
 * the new receipt.
 */
export function correctionRoutes(ctx: AppContext): Router {
  const router = Router();

  async function render(
    req: Request,
    res: Response,
    status: number,
    typed: FormValues | null,
    errors: Record<string, string> = {},
    conflict: string | null = null,
  ) {
    const page = await correctionPage(ctx, req.account!, refParam(req), typed, errors);
    res.status(status).render('dossiers/correct', { ...page, conflict });
  }

  router.get(`/ho-so/:ref/${PAGE}`, requireLogin, async (req, res) => {
    await render(req, res, 200, null);
  });

  router.post(`/ho-so/:ref/${PAGE}`, requireLogin, async (req, res) => {
    const typed = typedValues(req.body);
    // "Đổi thủ tục" (and Enter in a field), or a save with a procedure whose checklist is not
    // shown yet: show that procedure's checklist and date, save nothing.
    const shown = typeof typed.shown_procedure === 'string' ? typed.shown_procedure : '';
    if (typed.step !== 'save' || typed.procedure_code !== shown) {
      const switched = typed.procedure_code !== shown ? '1' : '';
      return render(req, res, 200, { ...typed, switched });
    }
    await handleForm(
      req,
      res,
      async () => {
        const result = await correctIntake(ctx, req.account!, refParam(req), req.body);
        const code = result.dossier.code!;
        rememberFreshKey(req, code, result.lookupKey, ctx.clock.now());
        setFlash(req, vi.dossiers.actionDone(vi.correction.action));
        res.redirect(303, `/ho-so/${encodeURIComponent(code)}/phieu/receipt`);
      },
      (failure) => render(req, res, failure.status, typed, failure.errors, failure.conflict),
    );
  });

  return router;
}
