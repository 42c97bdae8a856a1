import { inflateSync } from 'node:zlib';
import { FileRejectedError, type Inspection } from './rejection.js';

/**
 * Reads a PDF as it arrives, keeping only a small window in memory: the objects' dictionaries
 * are scanned as text, stream data is skipped (by its direct /Length, else up to `endstream`), and
 * only object streams (/Type /ObjStm, FlateDecode; where PDF 1.5 writers put page objects) are
 * collected and inflated, within a bound. The page count is the number of distinct objects whose
 * dictionary says /Type /Page (an incremental update that rewrites a page keeps its number, so it
 * is counted once). The file must end with `%%EOF` (an upload cut short does not), hold a page,
 * and carry no active content (JavaScript, launch actions, embedded files, XFA) and no encryption:
 * a scanner's PDF has none of these.
 */
const OVERLAP = 64;
const MAX_DICT = 256 * 1024;
/** Compressed object streams larger than this are refused (a real one is a few hundred kB). */
const MAX_OBJECT_STREAM = 8 * 1024 * 1024;
const MAX_INFLATED = 64 * 1024 * 1024;

const TOKENS =
  /(\d+)\s+(\d+)\s+obj\b|\/Type\s*\/Page(?![A-Za-z])|\/(JavaScript|JS|Launch|EmbeddedFiles?|Encrypt|RichMedia|XFA)(?![A-Za-z])|\bendobj\b/g;
const STREAM_START = /(?<![A-Za-z])stream(\r\n|\n|\r(?!\n))/g;
const ENDSTREAM = Buffer.from('endstream', 'latin1');

type Mode =
  | { kind: 'text' }
  | { kind: 'skip'; left: number }
  | { kind: 'expect_end' }
  | { kind: 'search'; collect: Buffer[] | null; collected: number }
  | { kind: 'collect'; left: number; parts: Buffer[] };

export class PdfScanner {
  #text = '';
  #mode: Mode = { kind: 'text' };
  #object: string | null = null;
  #dict = '';
  #pages = new Set<string>();
  #anonymous = 0;
  #active = false;
  #encrypted = false;
  #tail = Buffer.alloc(0);
  #searchCarry = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.#tail = Buffer.concat([this.#tail, chunk]).subarray(-1024);
    this.#consume(chunk);
  }

  #consume(chunk: Buffer): void {
    while (chunk.length > 0) {
      const mode = this.#mode;
      switch (mode.kind) {
        case 'text':
          chunk = this.#textMode(chunk);
          break;
        case 'skip': {
          const take = Math.min(mode.left, chunk.length);
          mode.left -= take;
          chunk = chunk.subarray(take);
          if (mode.left === 0) this.#mode = { kind: 'expect_end' };
          break;
        }
        case 'collect': {
          const take = Math.min(mode.left, chunk.length);
          mode.parts.push(Buffer.from(chunk.subarray(0, take)));
          mode.left -= take;
          chunk = chunk.subarray(take);
          if (mode.left === 0) {
            this.#objectStream(Buffer.concat(mode.parts));
            this.#mode = { kind: 'expect_end' };
          }
          break;
        }
        case 'expect_end': {
          // After /Length bytes: whitespace, then `endstream`; anything else means the length lied.
          const text = this.#searchCarry.length ? Buffer.concat([this.#searchCarry, chunk]) : chunk;
          let i = 0;
          while (i < text.length && isWhite(text[i]!)) i++;
          const rest = text.subarray(i);
          if (rest.length < ENDSTREAM.length) {
            this.#searchCarry = Buffer.from(rest);
            return;
          }
          this.#searchCarry = Buffer.alloc(0);
          if (rest.subarray(0, ENDSTREAM.length).equals(ENDSTREAM)) {
            this.#mode = { kind: 'text' };
            chunk = rest.subarray(ENDSTREAM.length);
          } else {
            this.#mode = { kind: 'search', collect: null, collected: 0 };
            chunk = rest;
          }
          break;
        }
        case 'search': {
          const data = this.#searchCarry.length ? Buffer.concat([this.#searchCarry, chunk]) : chunk;
          const at = data.indexOf(ENDSTREAM);
          const upTo = at >= 0 ? at : Math.max(0, data.length - ENDSTREAM.length);
          if (mode.collect) {
            mode.collected += upTo;
            if (mode.collected > MAX_OBJECT_STREAM) throw new FileRejectedError('broken_pdf');
            mode.collect.push(Buffer.from(data.subarray(0, upTo)));
          }
          if (at < 0) {
            this.#searchCarry = Buffer.from(data.subarray(upTo));
            return;
          }
          this.#searchCarry = Buffer.alloc(0);
          if (mode.collect) this.#objectStream(trimEol(Buffer.concat(mode.collect)));
          this.#mode = { kind: 'text' };
          chunk = data.subarray(at + ENDSTREAM.length);
          break;
        }
      }
    }
  }

  /** Scans dictionaries up to the next `stream` keyword; returns the bytes after it. */
  #textMode(chunk: Buffer): Buffer {
    const text = this.#text + chunk.toString('latin1');
    STREAM_START.lastIndex = 0;
    const start = STREAM_START.exec(text);
    if (!start) {
      // Keep a little, cut at white space, so no token or number is split between two scans.
      let cut = Math.max(0, text.length - OVERLAP);
      while (cut > 0 && !isWhite(text.charCodeAt(cut))) cut--;
      this.#scan(text, cut);
      this.#text = text.slice(cut);
      return Buffer.alloc(0);
    }
    this.#scan(text, start.index);
    this.#text = '';
    this.#beginStream();
    return Buffer.from(text.slice(start.index + start[0].length), 'latin1');
  }

  #scan(text: string, end: number): void {
    TOKENS.lastIndex = 0;
    let dictFrom = 0;
    for (let m = TOKENS.exec(text); m && m.index < end; m = TOKENS.exec(text)) {
      if (m[1] !== undefined) {
        this.#object = m[1];
        this.#dict = '';
        dictFrom = m.index + m[0].length;
      } else if (m[3] !== undefined) {
        if (m[3] === 'Encrypt') this.#encrypted = true;
        else this.#active = true;
      } else if (m[0] === 'endobj') {
        this.#object = null;
      } else {
        this.#pages.add(this.#object ?? `anonymous ${++this.#anonymous}`);
      }
    }
    if (this.#object !== null && this.#dict.length < MAX_DICT)
      this.#dict += text.slice(dictFrom, end).slice(0, MAX_DICT);
  }

  #beginStream(): void {
    const dict = this.#dict;
    const objectStream =
      /\/Type\s*\/ObjStm\b/.test(dict) && /\/Filter\s*\[?\s*\/FlateDecode\s*\]?/.test(dict);
    const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    const length = direct ? Number(direct[1]) : null;
    if (objectStream && length !== null) {
      if (length > MAX_OBJECT_STREAM) throw new FileRejectedError('broken_pdf');
      this.#mode =
        length === 0 ? { kind: 'expect_end' } : { kind: 'collect', left: length, parts: [] };
    } else if (objectStream) {
      this.#mode = { kind: 'search', collect: [], collected: 0 };
    } else if (length !== null) {
      this.#mode = length === 0 ? { kind: 'expect_end' } : { kind: 'skip', left: length };
    } else {
      this.#mode = { kind: 'search', collect: null, collected: 0 };
    }
  }

  /** Objects packed in a compressed object stream: their numbers from its header, then their text. */
  #objectStream(compressed: Buffer): void {
    const dict = this.#dict;
    const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? NaN);
    const count = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? NaN);
    if (!Number.isInteger(first) || !Number.isInteger(count)) return;
    let inflated: string;
    try {
      inflated = inflateSync(compressed, { maxOutputLength: MAX_INFLATED }).toString('latin1');
    } catch {
      throw new FileRejectedError('broken_pdf');
    }
    const numbers = inflated.slice(0, first).trim().split(/\s+/).map(Number);
    for (let i = 0; i < count; i++) {
      const number = numbers[2 * i];
      const offset = numbers[2 * i + 1];
      if (number === undefined || offset === undefined) break;
      const next = numbers[2 * i + 3];
      const body = inflated.slice(first + offset, next === undefined ? undefined : first + next);
      if (/\/Type\s*\/Page(?![A-Za-z])/.test(body)) this.#pages.add(String(number));
      if (/\/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z])/.test(body))
        this.#active = true;
      if (/\/Encrypt(?![A-Za-z])/.test(body)) this.#encrypted = true;
    }
  }

  finish(): Inspection {
    if (this.#mode.kind === 'text') {
      this.#scan(this.#text, this.#text.length);
      this.#text = '';
    } else if (this.#mode.kind !== 'expect_end') {
      throw new FileRejectedError('broken_pdf'); // ends inside a stream
    }
    if (!/%%EOF[\s\0]*$/.test(this.#tail.toString('latin1')))
      throw new FileRejectedError('broken_pdf');
    if (!this.#tail.toString('latin1').includes('startxref'))
      throw new FileRejectedError('broken_pdf');
    if (this.#encrypted) throw new FileRejectedError('pdf_encrypted');
    if (this.#active) throw new FileRejectedError('pdf_active_content');
    if (this.#pages.size === 0) throw new FileRejectedError('pdf_no_pages');
    return { contentType: 'application/pdf', pages: this.#pages.size };
  }
}

function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

function trimEol(data: Buffer): Buffer {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end--;
  return data.subarray(0, end);
}
