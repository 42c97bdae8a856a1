/**
 * Text appended piece by piece as UTF-8 bytes, into a buffer that doubles when full. A page of
 * an export (a thousand rows of CSV or SpreadsheetML) is written this way rather than joined
 * into one string and encoded: the join copied every row into a megabyte-long string (two
 * bytes a character once a Vietnamese letter is in it), and the encoding walked it twice more
 * (its length, then its bytes). Row by row, a page of the tracking book's XLSX took 8 ms of a
 * worker instead of 11.5 ms (docs/BENCHMARKS.md, twelfth round).
 *
 * The buffer is never one of Node's pooled slices, so the bytes can be transferred to another
 * thread (their ArrayBuffer is theirs alone).
 */
export class Utf8Builder {
  #buffer: Buffer;
  #used = 0;

  constructor(initialBytes = 1 << 16) {
    this.#buffer = Buffer.allocUnsafeSlow(Math.max(16, initialBytes));
  }

  append(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const room = this.#used + text.length * 3;
    if (room > this.#buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(room, this.#buffer.length * 2));
      this.#buffer.copy(bigger, 0, 0, this.#used);
      this.#buffer = bigger;
    }
    this.#used += this.#buffer.write(text, this.#used, 'utf8');
  }

  get length(): number {
    return this.#used;
  }

  /** The bytes written so far: a view over the builder's own buffer (not copied). */
  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset, this.#used);
  }
}
