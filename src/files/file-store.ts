import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';

/**
 * Where the bytes of stored files live, behind one small interface (docs/ARCHITECTURE.md
 * "Files"). Objects are immutable and named by the SHA-256 of their bytes; every read is verified
 * against that name first, so a damaged object is an error and is never served.
 */
export interface StoredObject {
  sha256: string;
  size: number;
}

export type Verdict = 'ok' | 'missing' | 'damaged';

export interface FileStore {
  readonly kind: 'fs' | 'database';
  /**
   * Stores the bytes of a complete, flushed temporary file whose SHA-256 and size the caller
   * computed while receiving it. Idempotent: bytes already stored intact are kept. The temporary
   * file may be moved away; the caller removes it if it is still there.
   */
  put(tempPath: string, sha256: string, size: number): Promise<void>;
  /** The bytes, verified before the first byte is given (FileMissingError, FileDamagedError). */
  get(sha256: string): Promise<Readable>;
  verify(sha256: string): Promise<Verdict>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
  /** Every stored object, in the order of their names. */
  walk(): AsyncIterable<StoredObject>;
}

export class FileMissingError extends Error {
  override name = 'FileMissingError';
  constructor(readonly sha256: string) {
    super(`stored file ${sha256} is missing`);
  }
}

export class FileDamagedError extends Error {
  override name = 'FileDamagedError';
  constructor(readonly sha256: string) {
    super(`stored file ${sha256} does not match its checksum`);
  }
}

export const SHA256 = /^[0-9a-f]{64}$/;

/** SHA-256 and size of a file on disk, read as a stream. */
export async function hashFile(file: string): Promise<StoredObject> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Passes bytes through while hashing them; at the end, a different checksum or size is an error
 * (the second guard of a read: the first pass already verified the object).
 */
export function verifyingStream(expected: StoredObject): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const ok = size === expected.size && hash.digest('hex') === expected.sha256;
      done(ok ? null : new FileDamagedError(expected.sha256));
    },
  });
}

/** Hashes a stream to its end: what it holds, or null when it fails to read. */
export async function hashStream(stream: Readable): Promise<StoredObject> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
