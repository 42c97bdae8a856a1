import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { UniqueViolationError } from '../db/errors.js';
import {
  FileDamagedError,
  FileMissingError,
  hashStream,
  verifyingStream,
  type FileStore,
  type StoredObject,
  type Verdict,
} from './file-store.js';
import {
  deleteStoreObject,
  findStoreObject,
  readChunk,
  storeObjectsAfter,
  writeStoreObject,
} from './store.repository.js';

/** Rows of 512 KiB: small enough for any statement and connection, few enough per scan. */
export const CHUNK_BYTES = 512 * 1024;

/**
 * The store inside the database (the default on PostgreSQL): an object is its chunks plus a row
 * that says it is complete, written in one transaction, so pg_dump and streaming replication carry
 * the files with the dossiers and every app process on every machine reads the same ones.
 */
export class DatabaseFileStore implements FileStore {
  readonly kind = 'database' as const;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async put(tempPath: string, sha256: string, size: number): Promise<void> {
    if ((await this.verify(sha256)) === 'ok') return;
    // A damaged copy (only possible by tampering with the rows) is replaced by the good bytes.
    if (await findStoreObject(this.db, sha256)) await deleteStoreObject(this.db, sha256);
    const handle = await open(tempPath, 'r');
    try {
      const next = async (): Promise<Buffer | null> => {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        let filled = 0;
        while (filled < CHUNK_BYTES) {
          const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled, null);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === 0 ? null : buffer.subarray(0, filled);
      };
      await writeStoreObject(this.db, { sha256, size, createdAt: this.now().toISOString() }, next);
    } catch (err) {
      // Another process stored the same bytes at the same moment: they are there.
      if (!(err instanceof UniqueViolationError)) throw err;
    } finally {
      await handle.close();
    }
  }

  #chunks(sha256: string, count: number): Readable {
    const db = this.db;
    return Readable.from(
      (async function* () {
        for (let seq = 0; seq < count; seq++) {
          const chunk = await readChunk(db, sha256, seq);
          if (!chunk) throw new FileDamagedError(sha256);
          yield chunk;
        }
      })(),
    );
  }

  async #check(sha256: string): Promise<{ verdict: Verdict; object: StoredObject }> {
    const row = await findStoreObject(this.db, sha256);
    if (!row) return { verdict: 'missing', object: { sha256, size: 0 } };
    try {
      const seen = await hashStream(this.#chunks(sha256, row.chunks));
      const ok = seen.sha256 === sha256 && seen.size === row.size;
      return { verdict: ok ? 'ok' : 'damaged', object: { sha256, size: row.size } };
    } catch (err) {
      if (err instanceof FileDamagedError)
        return { verdict: 'damaged', object: { sha256, size: 0 } };
      throw err;
    }
  }

  async get(sha256: string): Promise<Readable> {
    const { verdict, object } = await this.#check(sha256);
    if (verdict === 'missing') throw new FileMissingError(sha256);
    if (verdict === 'damaged') throw new FileDamagedError(sha256);
    const row = (await findStoreObject(this.db, sha256))!;
    return this.#chunks(sha256, row.chunks).pipe(verifyingStream(object));
  }

  async verify(sha256: string): Promise<Verdict> {
    return (await this.#check(sha256)).verdict;
  }

  async has(sha256: string): Promise<boolean> {
    return !!(await findStoreObject(this.db, sha256));
  }

  async delete(sha256: string): Promise<void> {
    await deleteStoreObject(this.db, sha256);
  }

  async *walk(): AsyncIterable<StoredObject> {
    let after = '';
    for (;;) {
      const rows = await storeObjectsAfter(this.db, after, 500);
      yield* rows;
      if (rows.length < 500) return;
      after = rows.at(-1)!.sha256;
    }
  }
}
