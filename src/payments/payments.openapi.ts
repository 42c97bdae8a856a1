import { z } from 'zod';
import type { Operation } from '../openapi.js';
import { callbackBodySchema } from './callback.service.js';
import { cashInputSchema } from './payments.service.js';
import { summaryQuery, takingsQuery } from './takings.service.js';

/** The payments' operations in the OpenAPI document (prose: docs/API.md "Payments"). */
const errors = {
  '401': 'No or a bad token',
  '403': 'Not allowed for this account or token scope',
  '422': 'Bad input: `error.fields` names each field',
};
const receiptCancelBody = z.object({
  reason: z.string().max(500).describe('Why the receipt is cancelled'),
  payer_name: z.string().max(100).optional().describe('The payer on the new receipt'),
});

export const PAYMENT_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/dossiers/{ref}/payment',
    summary: 'The dossier’s fee: amount due, state, the VietQR payload, history',
    tag: 'payments',
    responses: {
      '200': '`{ payment: { amount_due, paid, state, vietqr, … }, events }`',
      '404': 'Not found (or another office’s)',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/dossiers/{ref}/payments',
    summary: 'Record a cash payment of the exact amount due; issues the numbered receipt',
    tag: 'payments',
    body: cashInputSchema,
    responses: {
      '201': '`{ payment, receipt }`',
      '409': 'Nothing due, already paid, amount unknown, stale version',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/dossiers/{ref}/receipts',
    summary: 'The dossier’s receipts, cancelled ones included',
    tag: 'payments',
    responses: { '200': '`{ receipts }`', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/receipts/{id}',
    summary: 'One receipt',
    tag: 'payments',
    responses: { '200': '`{ receipt, office }`', '404': 'Unknown receipt', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/receipts/{id}/cancel',
    summary: 'Cancel a receipt (kept, with its reason) and issue the next number (supervisors)',
    tag: 'payments',
    body: receiptCancelBody,
    responses: {
      '200': '`{ cancelled, replacement }`',
      '409': 'Cancelled already, or the fee is not paid',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/payments/callback/{provider}',
    summary:
      'A bank’s or payment platform’s confirmation, signed: `X-Timestamp` and `X-Signature: sha256=HMAC(secret, timestamp + "." + body)`',
    tag: 'payments',
    open: true,
    body: callbackBodySchema,
    responses: {
      '200': '`{ received, outcome, duplicate, dossier }` (paid, or kept for review)',
      '401': 'Bad signature, or a timestamp outside the window',
      '404': 'Unknown provider',
      '409': 'The transaction id was used with another body',
      '422': 'Bad body',
    },
  },
  {
    method: 'get',
    path: '/api/v1/payments/summary',
    summary: 'Fees collected per procedure and method in a period, and the online share',
    tag: 'payments',
    query: summaryQuery,
    responses: {
      '200': '`{ by_procedure, by_method, total, online_share }`',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/payments/takings',
    summary: 'The day’s takings of an office (the so thu), checked against the payments',
    tag: 'payments',
    query: takingsQuery,
    responses: { '200': '`{ totals, officers, receipts, balanced, problems }`', ...errors },
  },
];
