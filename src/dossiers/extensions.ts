import type { CurrentAccount } from '../current-account.js';
import type { Tx } from '../db/database.js';
import type { DossierRow } from '../db/schema.js';
import type { ActionName } from './actions/index.js';
import type { DossierEventInput, SlipKind } from './record/index.js';

/**
 * What features above the dossiers add to a dossier's life without the dossier feature knowing
 * them (docs/ARCHITECTURE.md "Extensions"): a check before an action (the fee before a return),
 * blocks printed on a slip (the fee's VietQR on the receipt), sections of the dossier's page
 * (the digitised papers), the board's counts (the online inbox), and a hook inside the
 * transaction of every change of a dossier (the portal's sync outbox). Each feature implements its part;
 * `context.ts` combines them, so the dossier feature imports none of them.
 */
export interface SlipBlock {
  /** The template that prints the block (e.g. `/payments/_vietqr`), given `data`. */
  partial: string;
  data: Record<string, unknown>;
}

/**
 * A change of a dossier, as its transaction records it in the timeline (intake, a workflow
 * action, a handover). `onChange` runs inside that transaction, after the change is written: what
 * it writes commits or rolls back with the change, and what it throws refuses the change.
 */
export interface DossierChange extends DossierEventInput {
  /**
   * The dossier as the change left it, and its office's name, when the caller holds them (the
   * intake, which has just written both): a hook reads them from here instead of the database.
   */
  after?: { dossier: DossierRow; officeName: string };
}

/**
 * Work a feature escalates into "Hồ sơ của tôi" beside the late steps (the online checks past
 * their deadline): a block of the `escalated` list and how many items it holds (the tab's count).
 */
export interface WorklistBlock extends SlipBlock {
  items: number;
}

export interface DossierExtension {
  /** Refuses an action the dossier may not take yet by throwing a domain error. */
  checkAction?(dossier: DossierRow, action: ActionName): Promise<void>;
  /** Blocks printed on a slip of the dossier. */
  slipBlocks?(dossier: DossierRow, kind: SlipKind): Promise<SlipBlock[]>;
  /** Sections of the dossier's page for this account (the digitised papers). */
  pageBlocks?(dossier: DossierRow, account: CurrentAccount): Promise<SlipBlock[]>;
  /** Blocks of an office's board (the online inbox's counts). */
  boardBlocks?(officeId: number): Promise<SlipBlock[]>;
  /** Blocks of the account's escalated worklist (the online checks past their deadline). */
  worklistBlocks?(account: CurrentAccount): Promise<WorklistBlock[]>;
  /** Inside the change's transaction (the portal's sync rows): uses only `tx`. */
  onChange?(tx: Tx, change: DossierChange): Promise<void>;
  /**
   * After a dossier was accepted at the counter, what the officer asked of the intake form (reuse
   * the applicant's digitised papers); returns a line to show, or null. Runs after the intake's
   * transaction: a failure leaves the dossier received and the officer finishes on its page.
   */
  afterIntake?(ref: string, account: CurrentAccount, asked: IntakeRequests): Promise<string | null>;
}

export interface IntakeRequests {
  /** Reuse every digitised paper of the applicant still valid for a component (one key). */
  reusePapers: boolean;
}

export interface DossierExtensions {
  checkAction(dossier: DossierRow, action: ActionName): Promise<void>;
  slipBlocks(dossier: DossierRow, kind: SlipKind): Promise<SlipBlock[]>;
  pageBlocks(dossier: DossierRow, account: CurrentAccount): Promise<SlipBlock[]>;
  boardBlocks(officeId: number): Promise<SlipBlock[]>;
  worklistBlocks(account: CurrentAccount): Promise<WorklistBlock[]>;
  onChange(tx: Tx, change: DossierChange): Promise<void>;
  afterIntake(ref: string, account: CurrentAccount, asked: IntakeRequests): Promise<string[]>;
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
    async boardBlocks(officeId) {
      const blocks: SlipBlock[] = [];
      for (const p of parts) if (p.boardBlocks) blocks.push(...(await p.boardBlocks(officeId)));
      return blocks;
    },
    async worklistBlocks(account) {
      const blocks: WorklistBlock[] = [];
      for (const p of parts)
        if (p.worklistBlocks) blocks.push(...(await p.worklistBlocks(account)));
      return blocks;
    },
    async onChange(tx, change) {
      for (const p of parts) await p.onChange?.(tx, change);
    },
    async afterIntake(ref, account, asked) {
      const lines: string[] = [];
      for (const p of parts) {
        const line = p.afterIntake ? await p.afterIntake(ref, account, asked) : null;
        if (line) lines.push(line);
      }
      return lines;
    },
  };
}
