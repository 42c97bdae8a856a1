import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FileInspector,
  FileRejectedError,
  type Rejection,
} from '../../../src/files/file-inspector.js';
import { chromiumJpeg, chromiumPdf, makePdf, makePng } from '../../support/file-fixtures.js';

/** Feeds the bytes in the given pieces; the verdict, or the reason of a refusal. */
function inspect(bytes: Buffer, cuts: number[] = []) {
  const inspector = new FileInspector();
  try {
    let from = 0;
    for (const cut of [...new Set(cuts)]
      .filter((c) => c > 0 && c < bytes.length)
      .sort((a, b) => a - b)) {
      inspector.feed(bytes.subarray(from, cut));
      from = cut;
    }
    inspector.feed(bytes.subarray(from));
    return inspector.finish();
  } catch (err) {
    if (err instanceof FileRejectedError) return { refused: err.reason };
    throw err;
  }
}
const refused = (reason: Rejection) => ({ refused: reason });

describe('what a file is, read from its bytes', () => {
  it('knows Chromium’s PDF (3 pages) and JPEG', () => {
    expect(inspect(chromiumPdf())).toEqual({ contentType: 'application/pdf', pages: 3 });
    expect(inspect(chromiumJpeg())).toEqual({ contentType: 'image/jpeg', pages: 1 });
  });

  it('counts the pages of plain PDFs and of PDFs with object streams, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (pages, objectStreams, incrementalUpdate, cuts) => {
          const pdf = makePdf({ pages, objectStreams, incrementalUpdate, padBytes: 3000 });
          const at = cuts.map((c) => c % pdf.length);
          expect(inspect(pdf, at)).toEqual({ contentType: 'application/pdf', pages });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a PDF cut short anywhere (an interrupted upload)', () => {
    const pdf = makePdf({ pages: 3, padBytes: 5000 });
    fc.assert(
      fc.property(fc.integer({ min: 8, max: pdf.length - 3 }), (end) => {
        expect(inspect(pdf.subarray(0, end))).toEqual(refused('broken_pdf'));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses PDFs with JavaScript, launch actions or encryption, and PDFs without a page', () => {
    const js = '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>';
    expect(inspect(makePdf({ pages: 1, catalogExtra: js }))).toEqual(refused('pdf_active_content'));
    expect(inspect(makePdf({ pages: 2, objectStreams: true, catalogExtra: js }))).toEqual(
      refused('pdf_active_content'),
    );
    expect(inspect(makePdf({ pages: 1, catalogExtra: '/Launch << >>' }))).toEqual(
      refused('pdf_active_content'),
    );
    expect(inspect(makePdf({ pages: 1, catalogExtra: '/Encrypt 9 0 R' }))).toEqual(
      refused('pdf_encrypted'),
    );
    const empty = makePdf({ pages: 1 }).toString('latin1').replace('/Type /Page ', '/Type /Pagx ');
    expect(inspect(Buffer.from(empty, 'latin1'))).toEqual(refused('pdf_no_pages'));
  });

  it('knows PNGs and refuses one with a bad checksum, cut short or with bytes after its end', () => {
    const png = makePng(64, 48);
    expect(inspect(png, [3, 9, 20, 33])).toEqual({ contentType: 'image/png', pages: 1 });
    const flipped = Buffer.from(png);
    flipped[png.length - 30]! ^= 0x01;
    expect(inspect(flipped)).toEqual(refused('broken_png'));
    expect(inspect(png.subarray(0, png.length - 5))).toEqual(refused('broken_png'));
    expect(inspect(Buffer.concat([png, Buffer.from('<script>')]))).toEqual(refused('broken_png'));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
        expect(
          inspect(
            png,
            cuts.map((c) => c % png.length),
          ),
        ).toEqual({
          contentType: 'image/png',
          pages: 1,
        });
      }),
    );
  });

  it('refuses a JPEG cut short or a JPEG signature followed by something else', () => {
    const jpeg = chromiumJpeg();
    fc.assert(
      fc.property(fc.integer({ min: 3, max: jpeg.length - 1 }), fc.array(fc.nat()), (end, cuts) => {
        expect(
          inspect(
            jpeg.subarray(0, end),
            cuts.map((c) => c % end),
          ),
        ).toEqual(refused('broken_jpeg'));
      }),
      { numRuns: 200 },
    );
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html>')]);
    expect(inspect(fake)).toEqual(refused('broken_jpeg'));
  });

  it('refuses whatever is not a PDF, JPEG or PNG, whatever it is called', () => {
    expect(inspect(Buffer.from('<html><script>alert(1)</script></html>'))).toEqual(
      refused('unknown_type'),
    );
    expect(inspect(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual(
      refused('unknown_type'),
    );
    expect(inspect(Buffer.from('GIF89a\x01\x00\x01\x00'))).toEqual(refused('unknown_type'));
    expect(inspect(Buffer.from('%PDF-1.4\n<html><body>hi</body></html>'))).toEqual(
      refused('broken_pdf'),
    );
    expect(inspect(Buffer.alloc(0))).toEqual(refused('empty'));
    expect(inspect(Buffer.from('%PD'))).toEqual(refused('unknown_type'));
  });
});
