import type { AppContext } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { componentsOf, dossierFilesView } from './files-view.service.js';

/**
 * The digitised papers' part of a dossier's page, and on the process-control slip (Mẫu 06) which
 * components are digitised (the dossier feature's extension port).
 */
export function filesExtension(ctx: AppContext): DossierExtension {
  return {
    async pageBlocks(dossier, account) {
      const files = await dossierFilesView(ctx, account, dossier);
      return [{ partial: '/files/_components', data: { files } }];
    },
    async slipBlocks(dossier, kind) {
      if (kind !== 'control') return [];
      const { components, result } = await componentsOf(ctx, dossier);
      return [{ partial: '/files/_slip-digitised', data: { components, result } }];
    },
  };
}
