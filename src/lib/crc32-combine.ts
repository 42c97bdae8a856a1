/**
 * The CRC-32 (ZIP's, polynomial 0xEDB88320) of two pieces of data one after the other, from the
 * CRC of each and the second's length: zlib's crc32_combine, which Node does not expose. Lets
 * pieces of a ZIP entry be checksummed apart (on worker threads) and the entry's CRC made from
 * theirs. Arithmetic modulo the polynomial over GF(2), as zlib does it (crc32.c: multmodp,
 * x2nmodp).
 */
const POLY = 0xedb88320;

/** a × b modulo the polynomial (bit-reflected: x^0 is the top bit). */
function multmodp(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** X2N[k] = x^(2^k) modulo the polynomial. */
const X2N: number[] = (() => {
  const table: number[] = [];
  let p = 0x40000000; // x^1
  table.push(p);
  for (let k = 1; k < 32; k++) table.push((p = multmodp(p, p)));
  return table;
})();

/** x^(8 × bytes) modulo the polynomial: appending `bytes` zero bytes, as a factor. */
function x8nmodp(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3; // 8 = 2^3
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2) p = multmodp(X2N[k & 31]!, p);
  }
  return p;
}

/** The CRC-32 of A then B, from crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multmodp(x8nmodp(lengthB), crcA >>> 0) ^ (crcB >>> 0)) >>> 0;
}
