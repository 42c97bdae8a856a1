import express, { Router } from 'express';
import type { AppContext } from '../context.js';
import type { PaymentRow, ReceiptRow } from '../db/schema.js';
import { requireLogin } from '../http/auth.js';
import { idParam } from '../http/params.js';
import { vi } from '../locale/vi.js';
import { amountInWords } from './amount-words.js';
import { handleCallback } from './callback.service.js';
import { cancelReceipt, paymentOverview, receiptForPrint, recordCash } from './payments.service.js';
import { dayTakings, paymentSummary } from './takings.service.js';

/** What the API shows of a receipt (a whitelist). */
export function presentReceipt(r: ReceiptRow, dossierCode: string | null) {
  return {
    id: r.id,
    series: r.series,
    year: r.year,
    number: r.number,
    dossier: dossierCode,
    amount: r.amount,
    amount_in_words: amountInWords(r.amount),
    method: r.method,
    payer_name: r.payer_name,
    fee_name: r.fee_name,
    issued_at: r.issued_at,
    issued_by: r.issued_by_name,
    state: r.state,
    cancelled_at: r.cancelled_at,
    cancel_reason: r.cancel_reason,
    replaced_by: r.replaced_by,
  };
}

function presentEvents(events: Awaited<ReturnType<typeof paymentOverview>>['events']) {
  return events.map((e) => ({
    at: e.at,
    kind: e.kind,
    label: vi.payments.eventKind[e.kind] ?? e.kind,
    by: e.actor_name,
    from: e.from_state,
    to: e.to_state,
    amount: e.amount,
    method: e.method,
    note: e.note,
  }));
}

function presentPayment(view: Awaited<ReturnType<typeof paymentOverview>>) {
  const p: PaymentRow | null = view.standing.payment;
  return {
    dossier: view.dossier.code,
    fee_name: view.standing.feeName,
    base_amount: view.standing.baseAmount,
    amount_due: view.standing.amountDue,
    amount_note: view.standing.amountNote,
    state: view.standing.state,
    paid: view.standing.state === 'paid',
    settled: view.standing.settled,
    method: p?.method ?? null,
    paid_amount: p?.paid_amount ?? null,
    paid_at: p?.paid_at ?? null,
    payer_name: p?.payer_name || null,
    reference: view.dossier.code,
    version: view.version,
    vietqr: view.vietqr,
    beneficiary: view.beneficiary
      ? {
          bank_bin: view.beneficiary.bankBin,
          account_no: view.beneficiary.accountNo,
          account_name: view.beneficiary.accountName,
          illustrative: view.beneficiary.illustrative,
        }
      : null,
    return_requires_payment: view.office.payment_required_before_return === 1,
  };
}

/**
 * The provider's callback: mounted before the body parsers, because the signature covers the
 * raw bytes. No session, no token: the signature is the credential.
 */
export function paymentCallbackRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/api/v1/payments/callback/:provider',
    express.raw({ type: () => true, limit: '16kb' }),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await handleCallback(ctx, String(req.params.provider), req.headers, raw);
      res.json({ received: true, ...answer });
    },
  );
  return router;
}

/** Payments on the JSON API (docs/API.md "Payments"). */
export function paymentApiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/v1/dossiers/:ref/payment', requireLogin, async (req, res) => {
    const view = await paymentOverview(ctx, req.account!, String(req.params.ref));
    res.json({ payment: presentPayment(view), events: presentEvents(view.events) });
  });

  router.post('/api/v1/dossiers/:ref/payments', requireLogin, async (req, res) => {
    const ref = String(req.params.ref);
    const { receipt } = await recordCash(ctx, req.account!, ref, req.body);
    const view = await paymentOverview(ctx, req.account!, ref);
    res.status(201).json({
      payment: presentPayment(view),
      receipt: presentReceipt(receipt, view.dossier.code),
    });
  });

  router.get('/api/v1/dossiers/:ref/receipts', requireLogin, async (req, res) => {
    const view = await paymentOverview(ctx, req.account!, String(req.params.ref));
    res.json({ receipts: view.receipts.map((r) => presentReceipt(r, view.dossier.code)) });
  });

  router.get('/api/v1/receipts/:id', requireLogin, async (req, res) => {
    const view = await receiptForPrint(ctx, req.account!, idParam(req));
    res.json({
      receipt: presentReceipt(view.receipt, view.dossier.code),
      office: { code: view.office.code, name: view.office.name },
    });
  });

  router.post('/api/v1/receipts/:id/cancel', requireLogin, async (req, res) => {
    const { cancelled, replacement } = await cancelReceipt(
      ctx,
      req.account!,
      idParam(req),
      req.body,
    );
    const view = await receiptForPrint(ctx, req.account!, replacement.id);
    res.json({
      cancelled: presentReceipt(cancelled, view.dossier.code),
      replacement: presentReceipt(replacement, view.dossier.code),
    });
  });

  router.get('/api/v1/payments/summary', requireLogin, async (req, res) => {
    res.json(await paymentSummary(ctx, req.account!, req.query));
  });

  router.get('/api/v1/payments/takings', requireLogin, async (req, res) => {
    const t = await dayTakings(ctx, req.account!, req.query);
    res.json({
      office: { code: t.office.code, name: t.office.name },
      day: t.day,
      totals: t.totals,
      total: t.total,
      paid_by_method: t.paidByMethod,
      officers: t.officers.map((o) => ({ name: o.name, by_method: o.byMethod, total: o.total })),
      balanced: t.balanced,
      problems: t.problems,
      receipts: t.receipts.map((r) => ({
        id: r.id,
        series: r.series,
        year: r.year,
        number: r.number,
        dossier: r.dossier_code,
        amount: r.amount,
        method: r.method,
        issued_by: r.issued_by_name,
        issued_at: r.issued_at,
        state: r.state,
      })),
    });
  });

  return router;
}
