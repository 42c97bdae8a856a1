import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** How much may wait in a response's buffer before a streaming export pauses for the client. */
export const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Writes a chunk with backpressure, pausing only past MAX_BUFFERED_BYTES rather than at the
 * socket's 16 KiB mark, so producing the next chunk overlaps with sending this one. Throws once
 * the client has gone away, so an abandoned export stops instead of producing into the void.
 */
export async function writeWithBackpressure(
  out: Writable,
  chunk: string | Uint8Array,
): Promise<void> {
  if (out.destroyed) throw new Error('the download was closed before its end');
  out.write(chunk);
  if (out.writableLength > MAX_BUFFERED_BYTES) await drainOrClose(out);
}

/** Resolves on 'drain' or 'close' (a client that leaves never drains), leaving no listener behind. */
async function drainOrClose(out: Writable): Promise<void> {
  const done = new AbortController();
  const quietly = (p: Promise<unknown>) =>
    p.catch((err: unknown) => (done.signal.aborted ? undefined : Promise.reject(err)));
  try {
    await Promise.race([
      quietly(once(out, 'drain', { signal: done.signal })),
      quietly(once(out, 'close', { signal: done.signal })),
    ]);
  } finally {
    done.abort();
  }
}
