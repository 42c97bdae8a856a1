import type { AppContext } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { dossierFilesView } from './files-view.service.js';

/** The digitised papers' part of a dossier's page (the dossier feature's extension port). */
export function filesExtension(ctx: AppContext): DossierExtension {
  return {
    async pageBlocks(dossier, account) {
      const files = await dossierFilesView(ctx, account, dossier);
      return [{ partial: '/files/_components', data: { files } }];
    },
  };
}
