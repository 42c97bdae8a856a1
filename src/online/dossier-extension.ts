import type { AppContext } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { lateChecksBlocks } from './late-checks.js';
import { inboxCounts } from './online.repository.js';
import { dossierSyncState } from './sync-status.service.js';
import { recordDossierChange } from './sync-outbox.js';

/**
 * The national portal on the dossier feature's extension port: a sync row with every change (in
 * its transaction), the dossier's sync state on its page, and the online inbox on the board
 * (what waits for a check, and what is past its deadline), and the checks past their deadline
 * escalated in "Hồ sơ của tôi".
 */
export function onlineExtension(ctx: AppContext): DossierExtension {
  return {
    onChange: (tx, change) => recordDossierChange(tx, change),
    async boardBlocks(officeId) {
      const counts = await inboxCounts(ctx.db, officeId, ctx.clock.now().toISOString());
      return [{ partial: '/online/_board', data: { counts } }];
    },
    worklistBlocks: (account) => lateChecksBlocks(ctx, account),
    async pageBlocks(dossier) {
      const sync = await dossierSyncState(ctx, dossier.id);
      return sync ? [{ partial: '/online/_sync', data: { sync } }] : [];
    },
  };
}
