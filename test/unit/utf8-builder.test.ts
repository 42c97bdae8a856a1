import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Builder } from '../../src/lib/utf8-builder.js';

describe('Utf8Builder', () => {
  it('gives the UTF-8 bytes of the pieces joined, growing past its first buffer', () => {
    const pieces = ['Sổ theo dõi', ' — ', '😀 emoji', 'a'.repeat(100), 'Nguyễn Thị Ánh\n'];
    const out = new Utf8Builder(16);
    for (const p of pieces) out.append(p);
    expect(Buffer.from(out.bytes()).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    expect(out.length).toBe(Buffer.byteLength(pieces.join(''), 'utf8'));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' })), fc.nat(64), (texts, size) => {
        const b = new Utf8Builder(size);
        for (const t of texts) b.append(t);
        expect(Buffer.from(b.bytes()).toString('utf8')).toBe(texts.join(''));
      }),
    );
  });

  it('hands out bytes over a buffer of its own, which another thread may take', () => {
    const out = new Utf8Builder(8);
    out.append('xin chào');
    const bytes = out.bytes();
    // Not a slice of Node's shared pool: transferring it detaches nothing else.
    expect(bytes.byteOffset).toBe(0);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    expect(bytes.byteLength).toBe(0); // detached: it went to the other port
    port1.close();
    port2.close();
  });
});
