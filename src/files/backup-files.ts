import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/database.js';
import type { FileStore } from './file-store.js';
import { FsFileStore } from './fs-store.js';
import { liveStoredFilesAfter } from './retention.repository.js';

/**
 * Copies the files a database backup refers to into a folder beside it (the fs store's layout),
 * each read verified from the live store and verified again once written: `npm run backup` on an
 * installation whose files are in a folder. Run after the database's snapshot: files are never
 * changed and only retention deletes them, so every file the snapshot names is still there.
 * Objects already in the folder intact are kept (a backup into the same folder is incremental).
 */
export async function backupFiles(
  snapshot: Db,
  source: FileStore,
  targetDir: string,
): Promise<{ files: number; bytes: number }> {
  const target = new FsFileStore(targetDir);
  const spool = path.join(targetDir, 'tmp');
  await mkdir(spool, { recursive: true, mode: 0o700 });
  let files = 0;
  let bytes = 0;
  for (let afterId = 0; ;) {
    const batch = await liveStoredFilesAfter(snapshot, afterId, 500);
    for (const f of batch) {
      if ((await target.verify(f.sha256)) !== 'ok') {
        const tmp = path.join(spool, `${process.pid}-${randomBytes(8).toString('hex')}.part`);
        try {
          await pipeline(await source.get(f.sha256), createWriteStream(tmp, { mode: 0o600 }));
          await target.put(tmp, f.sha256, f.size);
        } finally {
          await rm(tmp, { force: true });
        }
        if ((await target.verify(f.sha256)) !== 'ok')
          throw new Error(`the copy of stored file ${f.id} (${f.sha256}) failed its check`);
      }
      files++;
      bytes += f.size;
    }
    if (batch.length < 500) break;
    afterId = batch.at(-1)!.id;
  }
  await rm(spool, { recursive: true, force: true });
  return { files, bytes };
}
