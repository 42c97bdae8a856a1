import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  FileDamagedError,
  FileMissingError,
  hashFile,
  SHA256,
  verifyingStream,
  type FileStore,
  type StoredObject,
  type Verdict,
} from './file-store.js';

/**
 * The embedded store: one file per object under `<dir>/objects/ab/cd/<sha256>`, read-only (0400
 * in a 0700 tree). A write is atomic: the spooled temporary file (same file system) is flushed,
 * renamed into place and the folder flushed, so after a crash an object is either whole or
 * absent; a name never holds half a file.
 */
export class FsFileStore implements FileStore {
  readonly kind = 'fs' as const;
  readonly #objects: string;

  constructor(dir: string) {
    this.#objects = path.join(dir, 'objects');
  }

  #pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new FileMissingError(sha256);
    return path.join(this.#objects, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(tempPath: string, sha256: string, _size: number): Promise<void> {
    const target = this.#pathOf(sha256);
    if ((await this.verify(sha256)) === 'ok') return;
    const folder = path.dirname(target);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const handle = await open(tempPath, 'r');
    try {
      await handle.chmod(0o400);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A damaged copy in the way is replaced by the good bytes (rename replaces atomically).
    await rename(tempPath, target);
    await syncFolder(folder);
  }

  async get(sha256: string): Promise<Readable> {
    const verdict = await this.#check(sha256);
    if (verdict.verdict === 'missing') throw new FileMissingError(sha256);
    if (verdict.verdict === 'damaged') throw new FileDamagedError(sha256);
    return createReadStream(this.#pathOf(sha256)).pipe(verifyingStream(verdict.object));
  }

  async #check(sha256: string): Promise<{ verdict: Verdict; object: StoredObject }> {
    const file = this.#pathOf(sha256);
    try {
      const object = await hashFile(file);
      return { verdict: object.sha256 === sha256 ? 'ok' : 'damaged', object };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { verdict: 'missing', object: { sha256, size: 0 } };
      throw err;
    }
  }

  async verify(sha256: string): Promise<Verdict> {
    return (await this.#check(sha256)).verdict;
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.#pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  async delete(sha256: string): Promise<void> {
    const target = this.#pathOf(sha256);
    await rm(target, { force: true });
    await syncFolder(path.dirname(target)).catch(() => undefined);
  }

  async *walk(): AsyncIterable<StoredObject> {
    for (const a of await sortedEntries(this.#objects)) {
      for (const b of await sortedEntries(path.join(this.#objects, a))) {
        for (const name of await sortedEntries(path.join(this.#objects, a, b))) {
          if (!SHA256.test(name)) continue;
          const info = await stat(path.join(this.#objects, a, b, name)).catch(() => null);
          if (info?.isFile()) yield { sha256: name, size: info.size };
        }
      }
    }
  }
}

async function sortedEntries(folder: string): Promise<string[]> {
  return (await readdir(folder).catch(() => [] as string[])).sort();
}

/** Flushes a folder's entries (a rename is durable only once its folder is). */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
