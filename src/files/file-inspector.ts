import { crc32 } from 'node:zlib';
import { PdfScanner } from './pdf-scan.js';
import { FileRejectedError, type Inspection } from './rejection.js';

export { FileRejectedError, type Inspection, type Rejection } from './rejection.js';

/**
 * Decides what an uploaded file is from its bytes, never from its name or the browser's word:
 * fed the bytes as they arrive, it recognises PDF, JPEG and PNG by their signature and walks their
 * structure (JPEG segments to the end-of-image marker, PNG chunks with their CRCs to IEND, PDF
 * objects to its page count and `%%EOF`). Anything else, or a file that breaks its own format, is
 * refused with a reason (`Rejection`), which the locale turns into a message.
 */
/** Images larger than this many pixels are refused (a decompression bomb for whoever views them). */
export const MAX_PIXELS = 120_000_000;

interface FormatReader {
  feed(chunk: Buffer): void;
  finish(): Inspection;
}

export class FileInspector {
  #head = Buffer.alloc(0);
  #reader: FormatReader | null = null;
  #bytes = 0;

  feed(chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#reader) return this.#reader.feed(chunk);
    this.#head = Buffer.concat([this.#head, chunk]);
    if (this.#head.length < 8) return;
    this.#reader = readerFor(this.#head);
    const head = this.#head;
    this.#head = Buffer.alloc(0);
    this.#reader.feed(head);
  }

  finish(): Inspection {
    if (this.#bytes === 0) throw new FileRejectedError('empty');
    if (!this.#reader) {
      this.#reader = readerFor(this.#head);
      this.#reader.feed(this.#head);
    }
    return this.#reader.finish();
  }
}

function readerFor(head: Buffer): FormatReader {
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return new PngReader();
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return new JpegReader();
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return new PdfScanner();
  throw new FileRejectedError('unknown_type');
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, IHDR first, every chunk's CRC, at least one IDAT, IEND last. */
class PngReader implements FormatReader {
  #buffer = Buffer.alloc(0);
  #offset = 8; // past the signature, in the stream
  #skipped = 0; // bytes of the stream dropped from the buffer
  #chunk: { type: string; length: number; crc: number } | null = null;
  #chunks = 0;
  #idat = false;
  #ended = false;

  feed(chunk: Buffer): void {
    if (this.#ended) throw new FileRejectedError('broken_png'); // bytes after IEND
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const at = this.#offset - this.#skipped;
      if (!this.#chunk) {
        if (this.#buffer.length - at < 8) break;
        const length = this.#buffer.readUInt32BE(at);
        const type = this.#buffer.toString('latin1', at + 4, at + 8);
        if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type))
          throw new FileRejectedError('broken_png');
        if (this.#chunks === 0 && (type !== 'IHDR' || length !== 13))
          throw new FileRejectedError('broken_png');
        this.#chunk = { type, length, crc: crc32(this.#buffer.subarray(at + 4, at + 8)) };
        this.#offset += 8;
        continue;
      }
      // Hash the chunk's data as it comes, keeping only what a header needs in memory.
      const available = Math.min(this.#buffer.length - at, this.#chunk.length);
      if (this.#chunk.type === 'IHDR') {
        if (this.#buffer.length - at < 17) break;
        const width = this.#buffer.readUInt32BE(at);
        const height = this.#buffer.readUInt32BE(at + 4);
        if (width === 0 || height === 0) throw new FileRejectedError('broken_png');
        if (width * height > MAX_PIXELS) throw new FileRejectedError('image_too_large');
      }
      if (available < this.#chunk.length) {
        if (this.#chunk.type === 'IHDR') break;
        this.#chunk.crc = crc32(this.#buffer.subarray(at, at + available), this.#chunk.crc);
        this.#chunk.length -= available;
        this.#offset += available;
        this.#drop();
        break;
      }
      if (this.#buffer.length - at < this.#chunk.length + 4) {
        this.#chunk.crc = crc32(
          this.#buffer.subarray(at, at + this.#chunk.length),
          this.#chunk.crc,
        );
        this.#offset += this.#chunk.length;
        this.#chunk.length = 0;
        this.#drop();
        break;
      }
      const crc = crc32(this.#buffer.subarray(at, at + this.#chunk.length), this.#chunk.crc);
      if (crc !== this.#buffer.readUInt32BE(at + this.#chunk.length))
        throw new FileRejectedError('broken_png');
      if (this.#chunk.type === 'IDAT') this.#idat = true;
      this.#offset += this.#chunk.length + 4;
      this.#chunks++;
      const type = this.#chunk.type;
      this.#chunk = null;
      if (type === 'IEND') {
        this.#ended = this.#buffer.length - (this.#offset - this.#skipped) === 0;
        if (!this.#ended) throw new FileRejectedError('broken_png');
        break;
      }
      this.#drop();
    }
  }

  #drop(): void {
    const at = this.#offset - this.#skipped;
    this.#buffer = this.#buffer.subarray(at);
    this.#skipped = this.#offset;
  }

  finish(): Inspection {
    if (!this.#ended || !this.#idat) throw new FileRejectedError('broken_png');
    return { contentType: 'image/png', pages: 1 };
  }
}

const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * JPEG: SOI, then marker segments (each with its length) up to a start of scan, entropy-coded data
 * (stuffed 0xFF00 and restart markers) and further segments (progressive scans) to EOI. A frame
 * header with a size must come before the first scan. Bytes after EOI (some cameras add a trailer)
 * are ignored.
 */
class JpegReader implements FormatReader {
  #state: 'soi' | 'marker' | 'length' | 'segment' | 'scan' | 'done' = 'soi';
  #seen = 0; // bytes of SOI, of a marker's 0xFF run, or of a length read so far
  #length = 0;
  #skip = 0;
  #segmentMarker = 0;
  #segmentHead: number[] = [];
  #frame = false;
  #afterFF = false;

  feed(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && this.#state !== 'done') {
      switch (this.#state) {
        case 'soi': {
          if (chunk[i++] !== (this.#seen === 0 ? 0xff : 0xd8))
            throw new FileRejectedError('broken_jpeg');
          if (++this.#seen === 2) this.#state = 'marker';
          break;
        }
        case 'marker': {
          const byte = chunk[i++]!;
          if (this.#seen === 0 || this.#seen === 2) {
            if (byte !== 0xff) throw new FileRejectedError('broken_jpeg');
            this.#seen = 1;
          } else if (byte !== 0xff) {
            this.#seen = 0;
            this.#marker(byte);
          }
          break;
        }
        case 'length': {
          this.#length = (this.#length << 8) | chunk[i++]!;
          if (++this.#seen === 2) {
            if (this.#length < 2) throw new FileRejectedError('broken_jpeg');
            this.#skip = this.#length - 2;
            this.#segmentHead = [];
            this.#state = this.#skip === 0 ? this.#afterSegment() : 'segment';
          }
          break;
        }
        case 'segment': {
          const take = Math.min(this.#skip, chunk.length - i);
          if (SOF.has(this.#segmentMarker))
            for (let k = 0; k < take && this.#segmentHead.length < 5; k++)
              this.#segmentHead.push(chunk[i + k]!);
          i += take;
          this.#skip -= take;
          if (this.#skip === 0) this.#state = this.#afterSegment();
          break;
        }
        case 'scan': {
          if (!this.#afterFF) {
            const ff = chunk.indexOf(0xff, i);
            if (ff < 0) {
              i = chunk.length;
              break;
            }
            i = ff + 1;
            this.#afterFF = true;
            break;
          }
          const byte = chunk[i++]!;
          if (byte === 0xff) break; // fill
          this.#afterFF = false;
          if (byte === 0x00 || (byte >= 0xd0 && byte <= 0xd7)) break; // stuffing, restart
          this.#marker(byte);
          break;
        }
      }
    }
  }

  #marker(marker: number): void {
    if (marker === 0xd9) {
      if (!this.#frame) throw new FileRejectedError('broken_jpeg');
      this.#state = 'done';
      return;
    }
    if (marker === 0xd8) throw new FileRejectedError('broken_jpeg');
    if (STANDALONE.has(marker)) {
      this.#state = 'marker';
      return;
    }
    if (marker === 0xda && !this.#frame) throw new FileRejectedError('broken_jpeg');
    this.#segmentMarker = marker;
    this.#length = 0;
    this.#seen = 0;
    this.#state = 'length';
  }

  #afterSegment(): 'marker' | 'scan' {
    this.#seen = 0;
    if (SOF.has(this.#segmentMarker)) {
      const h = this.#segmentHead;
      if (h.length < 5) throw new FileRejectedError('broken_jpeg');
      const height = (h[1]! << 8) | h[2]!;
      const width = (h[3]! << 8) | h[4]!;
      // A height of 0 (defined later by DNL) is legal but never made by a scanner or a phone.
      if (width === 0 || height === 0) throw new FileRejectedError('broken_jpeg');
      if (width * height > MAX_PIXELS) throw new FileRejectedError('image_too_large');
      this.#frame = true;
    }
    return this.#segmentMarker === 0xda ? 'scan' : 'marker';
  }

  finish(): Inspection {
    if (this.#state !== 'done') throw new FileRejectedError('broken_jpeg');
    return { contentType: 'image/jpeg', pages: 1 };
  }
}
