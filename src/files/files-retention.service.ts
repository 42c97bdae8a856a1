import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { inTransaction } from '../db/transactions.js';
import { releaseQuota } from './files.repository.js';
import {
  findFilesOutOfRetention,
  tombstonedAfter,
  tombstoneStoredFile,
} from './retention.repository.js';

const BATCH = 200;

/** How many stored files a retention run with this cut-off would delete (a dry run). */
export async function countFilesOutOfRetention(
  ctx: AppContext,
  closedBefore: string,
): Promise<number> {
  let count = 0;
  for (let afterId = 0; ;) {
    const batch = await findFilesOutOfRetention(ctx.db, closedBefore, { afterId, limit: BATCH });
    count += batch.length;
    if (batch.length < BATCH) return count;
    afterId = batch.at(-1)!.id;
  }
}

/**
 * Deletes the bytes of files that only anonymised dossiers refer to (docs/SECURITY.md
 * "Retention"): each is first tombstoned in a transaction that checks again that no kept dossier
 * refers to it (a reuse keeps it) and gives its bytes back to the office's quota; then its bytes
 * leave the store. A run interrupted between the two leaves a tombstone whose bytes the next run
 * deletes. The rows of the components stay, pointing at the tombstone.
 */
export async function deleteFilesOutOfRetention(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let deleted = 0;
  for (let afterId = 0; ;) {
    const batch = await findFilesOutOfRetention(ctx.db, null, { afterId, limit: BATCH });
    for (const file of batch) {
      const tombstoned = await inTransaction(ctx.db, async (tx) => {
        const still = await findFilesOutOfRetention(tx, null, { id: file.id });
        if (still.length === 0) return false;
        if (!(await tombstoneStoredFile(tx, file.id, now.toISOString(), 'retention'))) return false;
        await releaseQuota(tx, file.charged_office_id, file.size, 1);
        return true;
      });
      if (!tombstoned) continue;
      await ctx.fileStore.delete(file.sha256);
      deleted++;
    }
    if (batch.length < BATCH) break;
    afterId = batch.at(-1)!.id;
  }
  // Bytes of tombstones left by an interrupted run.
  for (let afterId = 0; ;) {
    const batch = await tombstonedAfter(ctx.db, afterId, BATCH);
    for (const file of batch)
      if (await ctx.fileStore.has(file.sha256)) await ctx.fileStore.delete(file.sha256);
    if (batch.length < BATCH) break;
    afterId = batch.at(-1)!.id;
  }
  if (deleted > 0)
    await recordAudit(ctx.db, {
      at: now,
      action: 'retention.files_deleted',
      subject: 'stored_files',
      details: { files: deleted },
    });
  return deleted;
}
