import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { OfficeRow, PaymentCallbackRow } from '../db/schema.js';
import { UniqueViolationError } from '../db/errors.js';
import { transactionWithRetry } from '../db/transactions.js';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../errors.js';
import { vi } from '../locale/vi.js';
import { zodFieldErrors } from '../validation.js';
import {
  checkCallbackSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './callback-signature.js';
import { findDossiersForPayment } from './payments.repository.js';
import { findCallback, insertCallback, updateCallback } from './reconcile.repository.js';
import { ensurePayment, payAndIssue } from './settle.js';
import { standingOf } from './standing.js';
import {
  classifyTransfer,
  dossierCodesIn,
  looksLikeDossierCode,
  type MatchOutcome,
} from './statement-match.js';

/**
 * A bank's or payment platform's confirmation (`POST /api/v1/payments/callback/:provider`,
 * docs/API.md "Payments"). Refused unless signed with the provider's secret inside the time
 * window; idempotent on the provider's transaction id (a repeated delivery changes nothing and
 * gets the first answer); the payment is marked paid only when the reference names one dossier
 * whose amount due is exactly the amount; anything else is kept and listed for review.
 */
const C = vi.payments.callback;

export const callbackBodySchema = z.object({
  transaction_id: z
    .string()
    .regex(/^[\w.:/-]{1,100}$/)
    .describe('The provider’s transaction id: the key of idempotency'),
  amount: z.number().int().positive().max(9_999_999_999_999).describe('Whole dong (VND)'),
  currency: z.string().max(3).default('VND'),
  reference: z
    .string()
    .max(60)
    .optional()
    .describe('The dossier code (the VietQR bill number); else read from `description`'),
  description: z
    .string()
    .max(500)
    .default('')
    .describe('The transfer’s content as the bank has it'),
  paid_at: z.iso.datetime({ offset: true }).optional(),
  payer_name: z.string().max(100).default(''),
});
export type CallbackBody = z.infer<typeof callbackBodySchema>;

export interface CallbackAnswer {
  outcome: MatchOutcome | 'wrong_currency';
  duplicate: boolean;
  dossier: string | null;
}

function answerOf(
  row: PaymentCallbackRow,
  duplicate: boolean,
  code: string | null,
): CallbackAnswer {
  return { outcome: row.outcome as CallbackAnswer['outcome'], duplicate, dossier: code };
}

export async function handleCallback(
  ctx: AppContext,
  providerName: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
): Promise<CallbackAnswer> {
  const provider = ctx.config.payments.providers.find((p) => p.name === providerName);
  if (!provider) throw new NotFoundError(C.unknownProvider, 'unknown_provider');
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const now = ctx.clock.now();
  const problem = checkCallbackSignature({
    secret: provider.secret,
    timestamp: header(TIMESTAMP_HEADER),
    signature: header(SIGNATURE_HEADER),
    rawBody,
    nowMs: now.getTime(),
    windowSeconds: ctx.config.payments.callbackWindowSeconds,
  });
  if (problem) {
    ctx.logger.warn({ provider: providerName, problem }, 'payment callback refused');
    throw new UnauthorizedError(
      problem === 'stale' ? C.stale : C.badSignature,
      problem === 'stale' ? 'stale_timestamp' : 'bad_signature',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new BadRequestError(vi.errors.malformedBody, 'malformed_body');
  }
  const parsed = callbackBodySchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  const body = parsed.data;
  const sha = createHash('sha256').update(rawBody).digest('hex');

  // Read before the transaction: the cache reads through the connection a transaction holds.
  const offices = await ctx.masterData.offices();
  // A second delivery racing the first waits on the unique key, then finds the first's row.
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionWithRetry(ctx.db, (tx) =>
        settleCallback(ctx, tx, offices, provider, body, rawBody, sha, header(TIMESTAMP_HEADER)!),
      );
    } catch (err) {
      const retry =
        err instanceof UniqueViolationError ||
        (err instanceof ConflictError && err.code === 'stale_payment');
      if (!retry || attempt >= 4) throw err;
    }
  }
}

async function settleCallback(
  ctx: AppContext,
  tx: Tx,
  offices: OfficeRow[],
  provider: { name: string; method: 'transfer' | 'online' },
  body: CallbackBody,
  rawBody: Buffer,
  sha: string,
  timestamp: string,
): Promise<CallbackAnswer> {
  const seen = await findCallback(tx, provider.name, body.transaction_id);
  if (seen) {
    if (seen.body_sha256 !== sha) throw new ConflictError(C.txnReused, 'transaction_id_reused');
    return answerOf(seen, true, seen.dossier_id ? seen.reference : null);
  }
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  let row = await insertCallback(tx, {
    provider: provider.name,
    provider_txn_id: body.transaction_id,
    received_at: nowIso,
    signed_at: new Date(Number(timestamp) * 1000).toISOString(),
    body_sha256: sha,
    body: rawBody.toString('utf8'),
    reference: body.reference ?? '',
    amount: body.amount,
    outcome: 'unknown_reference',
    office_id: null,
    dossier_id: null,
    payment_id: null,
    review_state: 'open',
    resolved_at: null,
    resolved_by: null,
    resolution_note: null,
  });
  const codes =
    body.reference && looksLikeDossierCode(body.reference)
      ? [body.reference.trim()]
      : dossierCodesIn(
          `${body.reference ?? ''} ${body.description}`,
          offices.map((o) => o.code),
        );
  const dossier = codes.length === 1 ? (await findDossiersForPayment(tx, codes))[0] : undefined;
  if (!dossier) {
    row = await updateCallback(tx, row.id, {
      outcome: codes.length > 1 ? 'ambiguous' : 'unknown_reference',
      reference: body.reference ?? codes.join(' '),
    });
    return answerOf(row, false, null);
  }
  const standing = await standingOf(tx, dossier);
  let outcome: CallbackAnswer['outcome'] =
    body.currency.toUpperCase() !== 'VND'
      ? 'wrong_currency'
      : classifyTransfer(body.amount, {
          state: standing.state,
          amountDue: standing.amountDue,
          method: standing.payment?.method ?? null,
          // A callback is the first word on its money: one already paid is money twice.
          confirmedByStatement: true,
        });
  if (!dossier.code) outcome = 'not_payable';
  let paymentId = standing.payment?.id ?? null;
  if (outcome === 'paid') {
    const office = offices.find((o) => o.id === dossier.office_id)!;
    const actor = { accountId: null, name: vi.payments.automatic(provider.name) };
    const { payment } = await ensurePayment(tx, dossier, actor, nowIso);
    const paid = await payAndIssue(
      tx,
      office,
      payment,
      {
        method: provider.method,
        amount: body.amount,
        payerName: body.payer_name || dossier.applicant_name,
        provider: provider.name,
        providerTxnId: body.transaction_id,
      },
      actor,
      now,
      ctx.dossierExtensions,
    );
    paymentId = paid.payment.id;
  }
  row = await updateCallback(tx, row.id, {
    outcome,
    reference: dossier.code ?? '',
    office_id: dossier.office_id,
    dossier_id: dossier.id,
    payment_id: paymentId,
    review_state: outcome === 'paid' ? 'none' : 'open',
  });
  return answerOf(row, false, dossier.code);
}
