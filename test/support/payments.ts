import request from 'supertest';
import type { Express } from 'express';
import { receiveDossier } from '../../src/dossiers/intake/index.js';
import type { AppContext } from '../../src/context.js';
import { signCallback } from '../../src/payments/callback-signature.js';
import { accountNamed, documentIds, validIntake } from './factories.js';

/** Helpers of the payment tests: a fee-bearing dossier, and a fake bank that signs callbacks. */
export const BANK_SECRET = 'b'.repeat(40);
export const PORTAL_SECRET = 'p'.repeat(40);
export const PAYMENT_ENV = {
  PAYMENT_PROVIDERS: 'bank:transfer,portal:online',
  PAYMENT_SECRET_BANK: BANK_SECRET,
  PAYMENT_SECRET_PORTAL: PORTAL_SECRET,
};

/** A residence registration (Đăng ký thường trú, 20,000 ₫ at the counter), received by canbo. */
export async function receiveFeeDossier(
  ctx: AppContext,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const result = await receiveDossier(
    ctx,
    await accountNamed(ctx, 'canbo'),
    await validIntake(ctx, {
      procedure_code: '1.004222',
      documents: await documentIds(ctx, '1.004222'),
      ...overrides,
    }),
  );
  return result.code!;
}

export interface SignedCallback {
  body: string;
  timestamp: string;
  signature: string;
}

export function signedCallback(
  payload: Record<string, unknown>,
  at: Date,
  secret = BANK_SECRET,
): SignedCallback {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { body, timestamp, signature: signCallback(secret, timestamp, body) };
}

export function deliver(app: Express | string, provider: string, c: SignedCallback) {
  return request(app)
    .post(`/api/v1/payments/callback/${provider}`)
    .set('content-type', 'application/json')
    .set('x-timestamp', c.timestamp)
    .set('x-signature', c.signature)
    .send(c.body);
}
