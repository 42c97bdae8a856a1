import { z } from 'zod';
import type { CurrentAccount } from '../../current-account.js';
import type { DossierRow } from '../../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import { loose, parseInput } from '../../validation.js';
import {
  findDossierById,
  findDossierByTrackingCode,
  loadAccessibleDossier,
  normalizeTrackingCode,
  trackingCodeProblem,
} from '../record/index.js';
import { performDossierAction, type ActionDeps } from './workflow.service.js';

const m = vi.post.errors;

export const postalDeliverySchema = z.object({
  tracking_code: loose.text(30),
  delivered_at: loose.text(40),
});

const TRACKING_MESSAGE = {
  required: m.trackingRequired,
  format: m.trackingFormat,
  check_digit: m.trackingCheckDigit,
} as const;

/**
 * The postal provider reports a delivery (its callback): the dossier whose result went with this
 * tracking code is returned at the reported instant, through the action "Bưu điện đã phát" of the
 * action table (the same planner, event, message and portal row as by hand). Idempotent on the
 * tracking code: a delivery already recorded (by hand or by an earlier callback) is answered as
 * it stands, and nothing is written again.
 */
export async function recordPostalDelivery(
  deps: ActionDeps,
  account: CurrentAccount,
  raw: unknown,
): Promise<{ dossier: DossierRow; replayed: boolean }> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ValidationError({ body: m.bodyInvalid });
  const body = parseInput(postalDeliverySchema, raw);
  const fields: Record<string, string> = {};
  const code = normalizeTrackingCode(body.tracking_code);
  const problem = trackingCodeProblem(code);
  if (problem) fields.tracking_code = TRACKING_MESSAGE[problem];
  if (!body.delivered_at) fields.delivered_at = m.deliveredAtInvalid;
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const found = await findDossierByTrackingCode(deps.db, code);
  // Another office's dossier is answered as unknown: codes cannot be probed.
  const dossier = found
    ? await loadAccessibleDossier(deps, account, String(found.id)).catch((e: unknown) => {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      })
    : undefined;
  if (!dossier) throw new ValidationError({ tracking_code: m.trackingUnknown });
  if (dossier.post_delivered_on) return { dossier, replayed: true };
  try {
    const after = await performDossierAction(
      deps,
      account,
      String(dossier.id),
      'post_delivered',
      { version: String(dossier.version), delivered_at: body.delivered_at },
      { carrier: true },
    );
    return { dossier: after, replayed: false };
  } catch (e) {
    // The same delivery reported twice at once: the second finds the first's record.
    if (e instanceof ConflictError) {
      const now = await findDossierById(deps.db, dossier.id);
      if (now?.post_delivered_on) return { dossier: now, replayed: true };
    }
    throw e;
  }
}
