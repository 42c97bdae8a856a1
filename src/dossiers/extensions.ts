import type { CurrentAccount } from '../current-account.js';
import type { DossierRow } from '../db/schema.js';
import type { ActionName } from './actions/index.js';
import type { SlipKind } from './record/index.js';

/**
 * What features above the dossiers add to a dossier's life without the dossier feature knowing
 * them (docs/ARCHITECTURE.md "Extensions"): a check before an action (the fee before a return),
 * blocks printed on a slip (the fee's VietQR on the receipt), sections of the dossier's page
 * (the digitised papers). Each feature implements its part;
 * `context.ts` combines them, so the dossier feature imports none of them.
 */
export interface SlipBlock {
  /** The template that prints the block (e.g. `/payments/_vietqr`), given `data`. */
  partial: string;
  data: Record<string, unknown>;
}

export interface DossierExtension {
  /** Refuses an action the dossier may not take yet by throwing a domain error. */
  checkAction?(dossier: DossierRow, action: ActionName): Promise<void>;
  /** Blocks printed on a slip of the dossier. */
  slipBlocks?(dossier: DossierRow, kind: SlipKind): Promise<SlipBlock[]>;
  /** Sections of the dossier's page for this account (the digitised papers). */
  pageBlocks?(dossier: DossierRow, account: CurrentAccount): Promise<SlipBlock[]>;
}

export interface DossierExtensions {
  checkAction(dossier: DossierRow, action: ActionName): Promise<void>;
  slipBlocks(dossier: DossierRow, kind: SlipKind): Promise<SlipBlock[]>;
  pageBlocks(dossier: DossierRow, account: CurrentAccount): Promise<SlipBlock[]>;
}

/** One set of extensions from several features, asked in order. */
export function combineExtensions(parts: DossierExtension[]): DossierExtensions {
  return {
    async checkAction(dossier, action) {
      for (const p of parts) await p.checkAction?.(dossier, action);
    },
    async slipBlocks(dossier, kind) {
      const blocks: SlipBlock[] = [];
      for (const p of parts) if (p.slipBlocks) blocks.push(...(await p.slipBlocks(dossier, kind)));
      return blocks;
    },
    async pageBlocks(dossier, account) {
      const blocks: SlipBlock[] = [];
      for (const p of parts)
        if (p.pageBlocks) blocks.push(...(await p.pageBlocks(dossier, account)));
      return blocks;
    },
  };
}
