import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Combine } from '../../src/lib/crc32-combine.js';

describe('crc32Combine', () => {
  it('gives the CRC-32 of two pieces one after the other, as zlib computes it whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        const whole = zlib.crc32(Buffer.concat([a, b]));
        expect(crc32Combine(zlib.crc32(a), zlib.crc32(b), b.length)).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('chains over many pieces, large ones included', () => {
    const pieces = [70_000, 1, 0, 1 << 20, 12_345].map((n, i) => Buffer.alloc(n, `hồ sơ ${i} `));
    let crc = 0;
    for (const piece of pieces) crc = crc32Combine(crc, zlib.crc32(piece), piece.length);
    expect(crc).toBe(zlib.crc32(Buffer.concat(pieces)));
  });

  it('leaves a CRC as it is when the second piece is empty', () => {
    expect(crc32Combine(0xdeadbeef, 0, 0)).toBe(0xdeadbeef);
  });
});
