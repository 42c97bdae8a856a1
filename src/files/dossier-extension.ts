import type { AppContext } from '../context.js';
import type { DossierExtension } from '../dossiers/index.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { vi } from '../locale/vi.js';
import { componentsOf, dossierFilesView } from './files-view.service.js';
import { reuseAllOffered } from './reuse-all.service.js';

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
    async afterIntake(ref, account, asked) {
      if (!asked.reusePapers) return null;
      const dossier = await loadAccessibleDossier(ctx, account, ref);
      const names = await reuseAllOffered(ctx, account, dossier);
      return names.length ? vi.files.reusedAll(names) : null;
    },
    async slipBlocks(dossier, kind) {
      if (kind !== 'control') return [];
      const { components, result } = await componentsOf(ctx, dossier);
      return [{ partial: '/files/_slip-digitised', data: { components, result } }];
    },
  };
}
