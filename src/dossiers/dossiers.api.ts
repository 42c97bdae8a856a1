import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { DossierRow } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { requireLogin } from '../http/auth.js';
import { vi } from '../locale/vi.js';
import { zodFieldErrors } from '../validation.js';
import { getBoard } from './board.service.js';
import { getDossierDetail, getDossierSummary } from './detail.service.js';
import { presentStep } from './handover/index.js';
import { isCorrectionAction } from './actions/index.js';
import { correctIntake, receiveDossier } from './intake/index.js';
import {
  citizenLookupUrl,
  displayPlate,
  dueExplanationOf,
  type VehicleKind,
} from './record/index.js';
import { findApplicant, searchAccessibleDossiers } from './search.service.js';
import { reissueLookupKey } from './slips/index.js';
import { performAction } from './workflow/index.js';

/** What the API shows of a dossier: a whitelist, so a new column never leaks by accident. */
export function presentDossier(d: DossierRow) {
  return {
    id: d.id,
    code: d.code,
    office_id: d.office_id,
    procedure: {
      code: d.procedure_code,
      name: d.procedure_name,
      report_group: d.report_group,
      processing_days: d.processing_days,
    },
    intake_outcome: d.intake_outcome,
    status: d.status,
    status_label: vi.dossiers.status[d.status] ?? d.status,
    applicant: {
      name: d.applicant_name,
      personal_id: d.personal_id,
      birth_date: d.birth_date,
      sex: d.sex,
      phone: d.phone,
      email: d.email,
      address: d.address,
    },
    receiving_channel: d.receiving_channel,
    return_channel: d.return_channel,
    fee_vnd: d.fee_vnd,
    notify: d.notify_channels ? d.notify_channels.split(',') : [],
    vehicle: d.vehicle_kind
      ? {
          kind: d.vehicle_kind,
          plate: d.vehicle_id,
          plate_formatted: displayPlate(d.vehicle_id, d.vehicle_kind as VehicleKind) || null,
          frame_no: d.vehicle_frame_no,
          engine_no: d.vehicle_engine_no,
          brand: d.vehicle_brand,
          colour: d.vehicle_colour,
        }
      : null,
    note: d.note,
    received_at: d.received_at,
    due_on: d.due_on,
    due_at: d.due_at,
    rescheduled_due_on: d.rescheduled_due_on,
    rescheduled_due_at: d.rescheduled_due_at,
    result_at: d.result_at,
    outcome: d.outcome,
    returned_at: d.returned_at,
    returned_to: d.returned_to,
    post: d.post_tracking_code
      ? {
          tracking_code: d.post_tracking_code,
          address: d.post_address,
          dispatched_at: d.post_dispatched_at,
          delivered_on: d.post_delivered_on,
        }
      : null,
    refusal_reason: d.refusal_reason,
    ticket_id: d.ticket_id,
    version: d.version,
  };
}

export const listQuery = z.object({
  q: z.string().max(100, vi.errors.tooLong(100)).optional().default(''),
  page: z.coerce
    .number({ message: vi.errors.badPage })
    .int()
    .min(1)
    .max(10000)
    .optional()
    .default(1),
});

/** The JSON API: everything the counter pages do, through the same services. */
export function dossierApiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/api/v1', requireLogin);

  router.get('/api/v1/dossiers', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const { rows, hasNext } = await searchAccessibleDossiers(
      ctx,
      req.account!,
      parsed.data.q,
      parsed.data.page,
    );
    res.json({ dossiers: rows, page: parsed.data.page, has_next: hasNext });
  });

  router.post('/api/v1/dossiers', async (req, res) => {
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[\w-]{8,64}$/.test(key))
      throw new ValidationError({ 'Idempotency-Key': vi.api.idempotencyKeyInvalid });
    const formToken = key ? `api:${req.account!.id}:${key}` : null;
    const result = await receiveDossier(ctx, req.account!, req.body, { formToken });
    // The row the intake stored, as it knows it without reading it back (a replayed form reads
    // it): intake is the API's hottest write, and its answer shows neither history nor documents.
    const detail = result.dossier
      ? { dossier: result.dossier, explanation: dueExplanationOf(result.dossier) }
      : await getDossierSummary(ctx, req.account!, result.code ?? String(result.dossierId));
    res.status(result.replayed ? 200 : 201).json({
      dossier: presentDossier(detail.dossier),
      lookup_key: result.lookupKey,
      lookup_url:
        result.lookupKey && result.code
          ? citizenLookupUrl(ctx.config.publicBaseUrl, result.code, result.lookupKey)
          : null,
      due_explanation: detail.explanation,
      replayed: result.replayed,
    });
  });

  router.get('/api/v1/dossiers/:ref', async (req, res) => {
    const detail = await getDossierDetail(ctx, req.account!, String(req.params.ref));
    res.json({
      dossier: presentDossier(detail.dossier),
      documents: detail.documents.map((d) => ({
        name: d.name,
        required: d.required === 1,
        received: d.received === 1,
        copy_kind: d.copy_kind,
        quantity: d.quantity,
      })),
      events: detail.events.map((e) => ({
        at: e.at,
        actor: e.actor_name,
        action: e.action,
        from_status: e.from_status,
        to_status: e.to_status,
        note: e.note,
        details: e.details,
      })),
      due_explanation: detail.explanation,
      overdue: detail.overdue,
      allowed_actions: detail.actions,
      holder: detail.steps.open
        ? {
            label: detail.steps.open.holderLabel,
            step: detail.steps.open.kind,
            unit: detail.steps.open.unit_id
              ? {
                  id: detail.steps.open.unit_id,
                  code: detail.steps.open.unit_code,
                  name: detail.steps.open.unit_name,
                }
              : null,
            account: detail.steps.open.holder_account_id
              ? { id: detail.steps.open.holder_account_id, name: detail.steps.open.holder_name }
              : null,
            since: detail.steps.open.started_at,
            due_at: detail.steps.open.due_at,
            alert: detail.steps.open.alert,
          }
        : null,
      steps: detail.steps.steps.map(presentStep),
      apology_due: detail.steps.apologyPrompt,
      ticket: detail.ticket,
      return_tickets: detail.returnTickets,
    });
  });

  router.post('/api/v1/dossiers/:ref/actions/:action', async (req, res) => {
    const action = String(req.params.action);
    const ref = String(req.params.ref);
    if (isCorrectionAction(action)) {
      // A corrected intake reissues the lookup key: the answer carries the new one (once).
      const result = await correctIntake(ctx, req.account!, ref, req.body);
      return res.json({
        dossier: presentDossier(result.dossier),
        changes: result.changes,
        due_explanation: dueExplanationOf(result.dossier),
        lookup_key: result.lookupKey,
        lookup_url: citizenLookupUrl(
          ctx.config.publicBaseUrl,
          result.dossier.code!,
          result.lookupKey,
        ),
      });
    }
    const dossier = await performAction(ctx, req.account!, ref, action, req.body);
    res.json({ dossier: presentDossier(dossier) });
  });

  router.get('/api/v1/dossiers/:ref/notifications', async (req, res) => {
    const detail = await getDossierDetail(ctx, req.account!, String(req.params.ref));
    res.json({
      consent: {
        channels: detail.dossier.notify_channels ? detail.dossier.notify_channels.split(',') : [],
        email: detail.dossier.email,
      },
      notifications: detail.notifications.map((n) => ({
        id: n.id,
        kind: n.kind,
        channel: n.channel,
        recipient: n.recipient,
        state: n.state,
        state_label: vi.notify.state[n.state] ?? n.state,
        attempts: n.attempts,
        created_at: n.created_at,
        next_attempt_at: n.next_attempt_at,
        sent_at: n.sent_at,
        delivered_at: n.delivered_at,
        failed_at: n.failed_at,
        last_error: n.last_error,
        body: n.body,
      })),
    });
  });

  router.post('/api/v1/dossiers/:ref/lookup-key', async (req, res) => {
    const ref = String(req.params.ref);
    const key = await reissueLookupKey(ctx, req.account!, ref);
    const detail = await getDossierDetail(ctx, req.account!, ref);
    res.json({
      lookup_key: key,
      lookup_url: citizenLookupUrl(ctx.config.publicBaseUrl, detail.dossier.code!, key),
    });
  });

  // The ID number travels in the body, never in the path (paths are logged). Unknown: 200, null.
  router.post('/api/v1/applicants/lookup', async (req, res) => {
    const personalId =
      typeof req.body?.personal_id === 'string' ? req.body.personal_id.replace(/\s/g, '') : '';
    const applicant = await findApplicant(ctx, req.account!, personalId);
    res.json({ applicant });
  });

  router.get('/api/v1/board', async (req, res) => {
    const office =
      typeof req.query.office_id === 'string' && /^\d{1,9}$/.test(req.query.office_id)
        ? Number(req.query.office_id)
        : undefined;
    const board = await getBoard(ctx, req.account!, office);
    res.json({
      office: { id: board.office.id, code: board.office.code, name: board.office.name },
      today: board.today,
      ...board.lists,
      steps: {
        overdue: board.steps.overdue.map((s) => ({
          code: s.code,
          step: s.kind,
          holder: s.holderLabel,
          due_at: s.due_at,
        })),
        at_risk: board.steps.atRisk,
      },
    });
  });

  return router;
}
