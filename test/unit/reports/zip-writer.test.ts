import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  columnLetters,
  excelSerial,
  excelSerialOfIso,
  hasEdgeSpace,
  sharedStringTable,
  xlsxRowLayout,
  xlsxRowXml,
} from '../../../src/lib/xlsx-cells.js';
import { XlsxSheetWriter } from '../../../src/lib/xlsx-sheet-writer.js';
import { ZipWriter } from '../../../src/lib/zip-writer.js';

/** Reads a ZIP the way unzip tools do: end record → central directory → local entries, checking every CRC. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const content = zlib.inflateRawSync(zip.subarray(dataStart, dataStart + compressed));
    expect(content.length).toBe(size);
    expect(zlib.crc32(content)).toBe(crc);
    // The data descriptor after the data repeats CRC and sizes.
    expect(zip.readUInt32LE(dataStart + compressed)).toBe(0x08074b50);
    expect(zip.readUInt32LE(dataStart + compressed + 4)).toBe(crc);
    files.set(name, content);
    at += 46 + nameLength + extra;
  }
  return files;
}

function sink() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

describe('ZipWriter', () => {
  it('writes entries that inflate back, piece by piece, with their CRCs and UTF-8 names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.string({ minLength: 1, maxLength: 12 }),
            fc.array(fc.string({ unit: 'grapheme', maxLength: 3000 }), { maxLength: 6 }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (entries) => {
          const { out, bytes } = sink();
          const zip = new ZipWriter(out, { level: 1, wallClock: new Date('2026-11-28T21:05:00Z') });
          const expected = new Map<string, string>();
          for (const [i, [name, pieces]] of entries.entries()) {
            const unique = `${i}/${name}.xml`;
            await zip.begin(unique);
            for (const piece of pieces) await zip.write(piece);
            expected.set(unique, pieces.join(''));
          }
          await zip.finish();
          const files = readZip(bytes());
          expect([...files.keys()]).toEqual([...expected.keys()]);
          for (const [name, text] of expected) expect(files.get(name)!.toString('utf8')).toBe(text);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('takes pieces deflated elsewhere among its own, with the entry CRC combined', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.string({ unit: 'grapheme', maxLength: 3000 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (pieces) => {
          const { out, bytes } = sink();
          const zip = new ZipWriter(out, { level: 1, wallClock: new Date('2026-11-28T21:05:00Z') });
          await zip.begin('xl/worksheets/sheet1.xml');
          for (const [elsewhere, text] of pieces) {
            if (!elsewhere) await zip.write(text);
            else {
              // As a read worker deflates a page: a raw stream ended by a sync flush.
              const raw = Buffer.from(text, 'utf8');
              await zip.writeDeflated({
                packed: zlib.deflateRawSync(raw, {
                  level: 1,
                  finishFlush: zlib.constants.Z_SYNC_FLUSH,
                }),
                crc: zlib.crc32(raw),
                size: raw.length,
              });
            }
          }
          await zip.finish();
          const files = readZip(bytes());
          expect(files.get('xl/worksheets/sheet1.xml')!.toString('utf8')).toBe(
            pieces.map(([, text]) => text).join(''),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps pieces in order when the output is slow and the caller reuses its buffer', async () => {
    // Pieces are deflated on the thread pool while the next is made: the slow sink below makes
    // later pieces finish compressing before earlier ones are written out.
    const chunks: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, cb) {
        chunks.push(Buffer.from(chunk));
        setTimeout(cb, chunks.length % 3);
      },
    });
    const zip = new ZipWriter(out, { level: 1, wallClock: new Date('2026-11-28T21:05:00Z') });
    await zip.begin('a.xml');
    const buffer = Buffer.alloc(200_000);
    let expected = '';
    for (let i = 0; i < 9; i++) {
      const text = `<r${i}>${'Trần Văn Ánh '.repeat(1000 * (i + 1))}</r${i}>`;
      const used = buffer.write(text, 0, 'utf8');
      await zip.write(buffer.subarray(0, used));
      buffer.fill(0x41); // reused at once, as the sheet writer does
      expected += text;
    }
    await zip.begin('b.xml');
    await zip.write('tiếp');
    await zip.finish();
    await new Promise((resolve) => out.on('finish', resolve));
    const files = readZip(Buffer.concat(chunks));
    expect(files.get('a.xml')!.toString('utf8')).toBe(expected);
    expect(files.get('b.xml')!.toString('utf8')).toBe('tiếp');
  });

  it('keeps a multi-megabyte entry whole across many compressed pieces', async () => {
    const { out, bytes } = sink();
    const zip = new ZipWriter(out, { level: 1, wallClock: new Date('2026-11-28T21:05:00Z') });
    await zip.begin('xl/worksheets/sheet1.xml');
    const pieces = Array.from(
      { length: 12 },
      (_, i) => `<row r="${i}">${'Nguyễn Thị Ánh Dương '.repeat(20_000 + i)}</row>`,
    );
    for (const p of pieces) await zip.write(Buffer.from(p, 'utf8'));
    await zip.finish();
    expect(readZip(bytes()).get('xl/worksheets/sheet1.xml')!.toString('utf8')).toBe(
      pieces.join(''),
    );
  });
});

describe('SpreadsheetML cells', () => {
  it('escapes markup and drops what XML cannot carry, keeping Vietnamese letters and emoji', () => {
    expect(escapeXml('Số 5 <ngõ> "Hòa" & Bình')).toBe(
      'Số 5 &lt;ngõ&gt; &quot;Hòa&quot; &amp; Bình',
    );
    expect(escapeXml('a\u0000b\u0007c\td\n')).toBe('abc\td\n');
    expect(escapeXml('x\uD800y 😀')).toBe('xy 😀');
    expect(escapeXml('Trần Thị Ánh')).toBe('Trần Thị Ánh');
  });

  it('names columns and dates as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(excelSerial(new Date('1900-03-01T00:00:00Z'), 0)).toBe(61);
    expect(excelSerial(new Date('2026-03-09T01:00:00Z'), 420)).toBeCloseTo(46090 + 8 / 24, 9); // 08:00 on 9 March 2026, Vietnam
  });

  it('reads a stored instant by arithmetic as Date would, and refuses text that is none', () => {
    // Every hour of three centuries' worth of sampled days, with and without milliseconds.
    for (let t = Date.UTC(1900, 2, 1); t < Date.UTC(2101, 0, 1); t += 86_400_000 * 7 + 3_601_001) {
      const iso = new Date(t).toISOString();
      expect(excelSerialOfIso(iso, 420)).toBe(excelSerial(new Date(iso), 420));
      const seconds = `${iso.slice(0, 19)}Z`;
      expect(excelSerialOfIso(seconds, 0)).toBe(excelSerial(new Date(seconds), 0));
    }
    // 06:59:59.999 on 5 December 2026 in Vietnam.
    expect(excelSerialOfIso('2026-12-04T23:59:59.999Z', 420)).toBeCloseTo(46361 + 7 / 24, 6);
    // Other forms go through Date; what is no instant gives null (written as text).
    expect(excelSerialOfIso('2026-12-04T10:00:00+07:00', 0)).toBe(
      excelSerial(new Date('2026-12-04T03:00:00Z'), 0),
    );
    expect(excelSerialOfIso('2026-02-30T10:00:00.000Z', 0)).toBeNull();
    expect(excelSerialOfIso('2026-12-04T24:00:00.000Z', 0)).toBeNull();
    expect(excelSerialOfIso('hôm nay', 0)).toBeNull();
    // The stored shape with a character that is no digit in each place of one.
    const stored = '2026-12-04T10:00:00.000Z';
    for (const at of [0, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 22])
      for (const c of ['x', ' ', '/', ':', '٣'])
        expect(excelSerialOfIso(stored.slice(0, at) + c + stored.slice(at + 1), 0)).toBeNull();
    expect(excelSerialOfIso('2026-12-04T10:00:60.000Z', 0)).toBeNull();
    expect(excelSerialOfIso('2026-12-04T10:60:00Z', 0)).toBeNull();
    expect(excelSerialOfIso('2024-02-29T10:00:00Z', 0)).toBe(
      excelSerial(new Date('2024-02-29T10:00:00Z'), 0),
    );
    expect(excelSerialOfIso('2100-02-29T10:00:00Z', 0)).toBeNull();
  });

  it('finds space at either end of a cell exactly where trim() would', () => {
    const space = /^\s|\s$/;
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `${ch}a`, `a${ch}`, `a${ch}b`])
        if (hasEdgeSpace(text) !== space.test(text))
          expect.fail(`U+${c.toString(16)} in ${JSON.stringify(text)}`);
    }
    expect(hasEdgeSpace('')).toBe(false);
  });
});

describe('shared strings', () => {
  const columns = [{ width: 10 }, { width: 10, shared: true }, { width: 10, shared: true }];
  const table = sharedStringTable(['Đã tiếp nhận', '', null, 'A & B', ' lề ', 'Đã tiếp nhận']);

  it('keeps each non-empty value once, in first-seen order', () => {
    expect(table).toEqual(['Đã tiếp nhận', 'A & B', ' lề ']);
  });

  it('refers to the table only from shared columns, and only for values in it', () => {
    const layout = xlsxRowLayout(columns, 420, table);
    expect(
      xlsxRowXml(['Đã tiếp nhận', 'Đã tiếp nhận', 'khác'], 4, layout, {
        bold: false,
        instants: true,
      }),
    ).toBe(
      '<row r="4"><c r="A4" t="inlineStr"><is><t>Đã tiếp nhận</t></is></c>' +
        '<c r="B4" t="s"><v>0</v></c>' +
        '<c r="C4" t="inlineStr"><is><t>khác</t></is></c></row>',
    );
    // Without a table the same columns are written inline.
    expect(
      xlsxRowXml(['x', 'Đã tiếp nhận'], 1, xlsxRowLayout(columns, 420), {
        bold: false,
        instants: true,
      }),
    ).toBe(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>' +
        '<c r="B1" t="inlineStr"><is><t>Đã tiếp nhận</t></is></c></row>',
    );
  });

  it('reads back in exceljs as the same text, escaped and edge spaces kept, bold or not', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const finished = new Promise((resolve) => out.on('finish', resolve));
    const sheet = await XlsxSheetWriter.open(out, 'Sổ', columns, {
      utcOffsetMinutes: 420,
      now: new Date('2026-12-04T03:00:00Z'),
      sharedStrings: table,
    });
    await sheet.addRow(['Tiêu đề', 'A & B'], { bold: true });
    await sheet.addRecords([
      ['Đã tiếp nhận', 'Đã tiếp nhận', ' lề '],
      [1, 'A & B', 'không có trong bảng'],
    ]);
    await sheet.finish();
    await finished;
    const files = readZip(Buffer.concat(chunks));
    expect(files.get('xl/sharedStrings.xml')!.toString('utf8')).toContain(
      '<si><t>A &amp; B</t></si><si><t xml:space="preserve"> lề </t></si>',
    );
    expect(files.get('xl/worksheets/sheet1.xml')!.toString('utf8')).toContain(
      '<c r="B1" t="s" s="2"><v>1</v></c>',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const read = book.getWorksheet('Sổ')!;
    const values = [1, 2, 3].map((r) => [1, 2, 3].map((c) => read.getRow(r).getCell(c).value));
    expect(values).toEqual([
      ['Tiêu đề', 'A & B', null],
      ['Đã tiếp nhận', 'Đã tiếp nhận', ' lề '],
      [1, 'A & B', 'không có trong bảng'],
    ]);
    expect(read.getRow(1).getCell(2).font?.bold).toBe(true);
  });
});
