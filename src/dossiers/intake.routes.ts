import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin } from '../http/auth.js';
import { handleForm, typedValues, type FormValues } from '../http/forms.js';
import { setFlash } from '../http/view-locals.js';
import { formatDate } from '../lib/format.js';
import { vi } from '../locale/vi.js';
import { activeProcedures, procedureByCode } from '../procedures/procedures.service.js';
import { rankProcedures } from '../procedures/procedure-rank.js';
import { rememberFreshKey } from './fresh-keys.js';
import { fillFromIdCard, newFormToken, parseIdCardQr, receiveDossier } from './intake/index.js';
import { findApplicant } from './search.service.js';
import { isFormError } from '../errors.js';

/** After a scan, the focus goes to the first of these still empty. */
const SCAN_FILLS_THEN = [
  'personal_id',
  'applicant_name',
  'birth_date',
  'sex',
  'phone',
  'address',
] as const;

/** The counter's intake: pick a procedure, tick the papers, fill the applicant, then decide. */
export function intakeRoutes(ctx: AppContext): Router {
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    procedureCode: string,
    values: FormValues,
    errors: Record<string, string>,
    focus: string | null = null,
  ) {
    const procedure = await procedureByCode(ctx, procedureCode);
    // Opened from a queue ticket: the ticket's number rides along, and its group's procedures come first.
    let ticket: Awaited<ReturnType<AppContext['intakeTickets']['context']>> | null = null;
    const ticketText = typeof values.ticket_id === 'string' ? values.ticket_id : '';
    if (/^\d{1,9}$/.test(ticketText)) {
      try {
        ticket = await ctx.intakeTickets.context(req.account!.officeId, Number(ticketText));
        // A booked ticket: the form opens with what the citizen gave when booking (item 8).
        if (req.method === 'GET' && ticket.applicant && !values.personal_id)
          Object.assign(values, {
            applicant_name: ticket.applicant.name,
            personal_id: ticket.applicant.personalId,
            phone: ticket.applicant.phone,
          });
      } catch (err) {
        if (!isFormError(err)) throw err;
        errors = { ...errors, ...err.fields };
        delete values.ticket_id;
      }
    }
    if (!procedure || !procedure.active) {
      const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
      const all = await activeProcedures(ctx);
      // Ranked by how well the name matches (docs/DECISIONS.md): Enter opens the first.
      const procedures = rankProcedures(
        q,
        all.map((p) => ({
          ...p,
          extra: `${p.reportGroupName} ${vi.dossiers.searchAliases[p.report_group] ?? ''}`,
        })),
      );
      const ofTicket = ticket ? procedures.filter((p) => ticket.procedureIds.includes(p.id)) : [];
      return res.status(status).render('dossiers/pick-procedure', {
        title: vi.nav.intake,
        procedures: ofTicket.length && !q ? ofTicket : procedures,
        q,
        errors,
        ticket,
      });
    }
    res.status(status).render('dossiers/new', {
      title: `${vi.nav.intake}: ${procedure.name}`,
      procedure,
      values: { form_token: newFormToken(), ...values },
      errors,
      focus,
      ticket,
    });
  }

  router.get('/ho-so/moi', requireLogin, async (req, res) => {
    const code = typeof req.query['thu-tuc'] === 'string' ? req.query['thu-tuc'] : '';
    const values: FormValues = {};
    if (typeof req.query.so === 'string' && /^\d{1,9}$/.test(req.query.so))
      values.ticket_id = req.query.so;
    // Prefill from an ID number the office has seen (the no-JavaScript path of the autofill).
    const personalId =
      typeof req.query.personal_id === 'string' ? req.query.personal_id.replace(/\s/g, '') : '';
    if (/^\d{12}$/.test(personalId)) {
      values.personal_id = personalId;
      const known = await findApplicant(ctx, req.account!, personalId);
      if (known) {
        Object.assign(values, {
          applicant_name: known.applicant_name,
          birth_date: known.birth_date ? formatDate(known.birth_date) : '',
          sex: known.sex ?? '',
          phone: known.phone ?? '',
          address: known.address,
        });
      }
    }
    await renderForm(req, res, 200, code, values, {});
  });

  /**
   * What the features above add once the dossier is received (the applicant's digitised papers
   * reused): the dossier stands whatever happens here, so a failure is shown, not thrown.
   */
  async function afterIntake(req: Request, code: string) {
    try {
      const lines = await ctx.dossierExtensions.afterIntake(code, req.account!, {
        reusePapers: true,
      });
      if (lines.length) setFlash(req, lines.join(' '));
    } catch (err) {
      ctx.logger.warn({ err, code }, 'after intake');
      setFlash(req, vi.files.reuseAtIntakeFailed);
    }
  }

  // The page posts to its own address, so that a form with errors comes back on the intake URL.
  const receive = async (req: Request, res: Response) => {
    const typed = typedValues(req.body);
    const scan =
      typeof typed.id_card_qr === 'string' && typed.id_card_qr
        ? parseIdCardQr(typed.id_card_qr)
        : null;
    // What a good scan filled is shown again with the errors; the scanned line itself is not kept.
    const values = scan?.ok ? { ...fillFromIdCard(typed, scan.card), id_card_qr: '' } : typed;
    const procedureCode = typeof values.procedure_code === 'string' ? values.procedure_code : '';
    if (typed.outcome === 'scan') {
      // Only fill the form from the card (the page without JavaScript); nothing is decided yet.
      if (scan && !scan.ok)
        return renderForm(req, res, 422, procedureCode, values, {
          id_card_qr: vi.dossiers.errors.idCard[scan.problem] ?? vi.dossiers.errors.idCard.shape!,
        });
      const firstEmpty = SCAN_FILLS_THEN.find((name) => !values[name]);
      return renderForm(req, res, 200, procedureCode, values, {}, firstEmpty ?? 'documents');
    }
    const formToken =
      typeof values.form_token === 'string' && /^[\w-]{10,100}$/.test(values.form_token)
        ? values.form_token
        : null;
    await handleForm(
      req,
      res,
      async () => {
        const result = await receiveDossier(ctx, req.account!, req.body, { formToken });
        if (result.outcome === 'accept') {
          if (result.lookupKey && result.code)
            rememberFreshKey(req, result.code, result.lookupKey, ctx.clock.now());
          if (values.reuse_papers === '1') await afterIntake(req, result.code!);
          return res.redirect(303, `/ho-so/${encodeURIComponent(result.code!)}/phieu/receipt`);
        }
        const slip = result.outcome === 'guide' ? 'supplement' : 'refusal';
        res.redirect(303, `/ho-so/${result.dossierId}/phieu/${slip}`);
      },
      async (failure) => {
        await renderForm(req, res, failure.status, procedureCode, values, {
          ...failure.errors,
          _form: failure.message,
        });
      },
    );
  };
  router.post('/ho-so/moi', requireLogin, receive);
  router.post('/ho-so', requireLogin, receive);

  return router;
}
