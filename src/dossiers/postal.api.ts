import { Router } from 'express';
import type { AppContext } from '../context.js';
import type { DossierRow } from '../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { POSTAL_DELIVERY_PATH, requireLogin } from '../http/auth.js';
import { vi } from '../locale/vi.js';
import { recordPostalDelivery } from './workflow/index.js';

/** What the postal provider is told of a delivery it reported. */
function presentDelivery(d: DossierRow) {
  return {
    tracking_code: d.post_tracking_code,
    dossier_code: d.code,
    status: d.status,
    dispatched_at: d.post_dispatched_at,
    delivered_on: d.post_delivered_on,
    returned_at: d.returned_at,
  };
}

/**
 * The postal provider's delivery callback (`POST /api/v1/postal/deliveries`), with a token of the
 * `postal` scope only: 201 when the delivery is recorded, 200 when it already was.
 */
export function postalApiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(POSTAL_DELIVERY_PATH, requireLogin, async (req, res) => {
    if (req.tokenScope !== 'postal')
      throw new ForbiddenError(vi.post.errors.postalTokenRequired, 'token_scope');
    const { dossier, replayed } = await recordPostalDelivery(ctx, req.account!, req.body);
    res.status(replayed ? 200 : 201).json({ delivery: presentDelivery(dossier), replayed });
  });
  return router;
}
