import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a payment provider's callback (docs/API.md "Payments", docs/SECURITY.md):
 * HMAC-SHA256 with the provider's secret over `<timestamp>.<raw body>`, sent as
 * `X-Signature: sha256=<hex>` with `X-Timestamp: <Unix seconds>`. The timestamp is inside the
 * signature, so a captured callback cannot be re-dated; one outside the window is refused, and a
 * replay inside it is caught by the provider's transaction id. Pure (node:crypto only).
 */
export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';

export function signCallback(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks a callback's signature and timestamp against `nowMs` and a window in seconds. Returns
 * null when both hold, else what is wrong. The comparison takes the same time whatever differs.
 */
export function checkCallbackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  windowSeconds: number;
}): SignatureProblem | null {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{9,11}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/.test(signature)) return 'malformed';
  const expected = Buffer.from(signCallback(input.secret, timestamp, input.rawBody));
  const sent = Buffer.from(signature);
  const matches = sent.length === expected.length && timingSafeEqual(sent, expected);
  if (!matches) return 'mismatch';
  if (Math.abs(input.nowMs / 1000 - Number(timestamp)) > input.windowSeconds) return 'stale';
  return null;
}
