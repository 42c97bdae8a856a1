import type { Deps } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { assertFeeAllowsReturn } from './return-gate.js';
import { vietQrBlockFor } from './slip-qr.js';

/**
 * The payments' part in a dossier's life (the dossier feature's extension port): the fee before
 * the return, where the office requires it, and the fee's VietQR on the receipt.
 */
export function paymentsExtension(deps: Deps<'db' | 'masterData'>): DossierExtension {
  return {
    async checkAction(dossier, action) {
      // The result leaves the office at the counter or by post: either way, the fee first.
      if (action === 'return_result' || action === 'dispatch_by_post')
        await assertFeeAllowsReturn(deps, dossier);
    },
    async slipBlocks(dossier, kind) {
      if (kind !== 'receipt') return [];
      const vietqr = await vietQrBlockFor(deps, dossier);
      return vietqr ? [{ partial: '/payments/_vietqr', data: { vietqr } }] : [];
    },
  };
}
