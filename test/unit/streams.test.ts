import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BYTES, writeWithBackpressure } from '../../src/lib/streams.js';

/** A client that reads a chunk every few milliseconds. */
function slowClient() {
  let received = 0;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _e, cb) {
      received += chunk.length;
      setTimeout(cb, 1);
    },
  });
  return { out, received: () => received };
}

describe('writeWithBackpressure', () => {
  it('pauses past the allowance, delivers everything and leaves no listeners behind', async () => {
    const { out, received } = slowClient();
    const chunk = Buffer.alloc(256 * 1024, 97);
    let maxBuffered = 0;
    for (let i = 0; i < 40; i++) {
      await writeWithBackpressure(out, chunk);
      maxBuffered = Math.max(maxBuffered, out.writableLength);
    }
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + chunk.length);
    expect(out.listenerCount('drain')).toBe(0);
    expect(out.listenerCount('close')).toBe(0);
    expect(out.listenerCount('error')).toBe(0);
    await new Promise<void>((resolve) => out.end(resolve));
    expect(received()).toBe(40 * chunk.length);
  });

  it('stops waiting when the client leaves, and refuses to write after', async () => {
    const out = new Writable({ highWaterMark: 1024, write: () => undefined }); // never drains
    const pending = writeWithBackpressure(out, Buffer.alloc(MAX_BUFFERED_BYTES + 1));
    out.destroy();
    await pending; // released by 'close'
    await expect(writeWithBackpressure(out, 'more')).rejects.toThrow('closed before its end');
  });
});
