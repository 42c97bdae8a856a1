import type { FileStore } from './file-store.js';
import type { Db } from '../db/database.js';
import { liveStoredFilesAfter } from './retention.repository.js';

export interface VerifyReport {
  checked: number;
  missing: { id: number; sha256: string }[];
  damaged: { id: number; sha256: string }[];
  /** Objects in the store that no stored file names (an upload interrupted after its bytes). */
  orphans: number;
}

/**
 * `npm run files:verify`: every stored file that should have bytes is read in full against its
 * SHA-256 (missing or damaged ones are named); then the store is walked for objects nobody
 * refers to, which are harmless leftovers of interrupted uploads and only counted.
 */
export async function verifyStoredFiles(db: Db, store: FileStore): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, missing: [], damaged: [], orphans: 0 };
  const known = new Set<string>();
  for (let afterId = 0; ;) {
    const batch = await liveStoredFilesAfter(db, afterId, 500);
    for (const f of batch) {
      known.add(f.sha256);
      report.checked++;
      const verdict = await store.verify(f.sha256);
      if (verdict === 'missing') report.missing.push({ id: f.id, sha256: f.sha256 });
      if (verdict === 'damaged') report.damaged.push({ id: f.id, sha256: f.sha256 });
    }
    if (batch.length < 500) break;
    afterId = batch.at(-1)!.id;
  }
  for await (const object of store.walk()) if (!known.has(object.sha256)) report.orphans++;
  return report;
}
