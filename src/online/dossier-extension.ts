import type { AppContext } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { dossierSyncState } from './sync-status.service.js';
import { recordDossierChange } from './sync-outbox.js';

/**
 * The national portal on the dossier feature's extension port: a sync row with every change (in
 * its transaction), and the dossier's sync state on its page.
 */
export function onlineExtension(ctx: AppContext): DossierExtension {
  return {
    onChange: (tx, change) => recordDossierChange(tx, change),
    async pageBlocks(dossier) {
      const sync = await dossierSyncState(ctx, dossier.id);
      return sync ? [{ partial: '/online/_sync', data: { sync } }] : [];
    },
  };
}
