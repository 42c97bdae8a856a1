import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** Files for the upload tests: PDFs written here (plain or with object streams), PNGs, and Chromium's fixtures. */

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/files');
export const chromiumPdf = (): Buffer =>
  fs.readFileSync(path.join(FIXTURES, 'chromium-3-pages.pdf'));
export const chromiumJpeg = (): Buffer => fs.readFileSync(path.join(FIXTURES, 'chromium.jpg'));

export interface PdfOptions {
  pages: number;
  /** Page objects packed in a compressed object stream with an xref stream (PDF 1.5 writers). */
  objectStreams?: boolean;
  /** An image stream of this many random bytes (to make a file of a given size). */
  padBytes?: number;
  /** Extra text put into the catalog (e.g. an /OpenAction with JavaScript). */
  catalogExtra?: string;
  /** An incremental update that rewrites the first page (same object number). */
  incrementalUpdate?: boolean;
}

/** A PDF whose structure a viewer accepts: catalog, page tree, pages with content, xref, trailer. */
export function makePdf(o: PdfOptions): Buffer {
  const parts: Buffer[] = [];
  const offsets = new Map<number, number>();
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const object = (n: number, body: Buffer | string) => {
    offsets.set(n, length);
    push(`${n} 0 obj\n`);
    push(body);
    push('\nendobj\n');
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const pageIds = Array.from({ length: o.pages }, (_, i) => 3 + i);
  const contentId = 3 + o.pages;
  const imageId = contentId + 1;
  const catalog = `<< /Type /Catalog /Pages 2 0 R ${o.catalogExtra ?? ''}>>`;
  const tree = `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${o.pages} >>`;
  const resources = o.padBytes ? `/Resources << /XObject << /Im1 ${imageId} 0 R >> >>` : '';
  const pageText = (i: number) =>
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contentId} 0 R ${resources} /Rotate ${i % 2 ? 0 : 0} >>`;
  const content = Buffer.from('BT /F1 24 Tf 72 720 Td (Ban sao) Tj ET');
  const stream = (dict: string, data: Buffer) =>
    Buffer.concat([
      Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream', 'latin1'),
    ]);
  let size = contentId + 1;
  if (!o.objectStreams) {
    object(1, catalog);
    object(2, tree);
    pageIds.forEach((id, i) => object(id, pageText(i)));
    object(contentId, stream('', content));
    if (o.padBytes) {
      object(
        imageId,
        stream(
          '/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode',
          randomBytes(o.padBytes),
        ),
      );
      size = imageId + 1;
    }
    const xref = length;
    push(`xref\n0 ${size}\n0000000000 65535 f \n`);
    for (let n = 1; n < size; n++)
      push(`${String(offsets.get(n) ?? 0).padStart(10, '0')} 00000 n \n`);
    push(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  } else {
    // Catalog, tree and pages inside object stream number `packId`; an xref stream after it.
    const packed = [1, 2, ...pageIds];
    const bodies = [catalog, tree, ...pageIds.map((_, i) => pageText(i))];
    let header = '';
    let body = '';
    for (let i = 0; i < packed.length; i++) {
      header += `${packed[i]} ${body.length} `;
      body += `${bodies[i]}\n`;
    }
    const packId = (o.padBytes ? imageId : contentId) + 1;
    object(contentId, stream('', content));
    if (o.padBytes)
      object(
        imageId,
        stream(
          '/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode',
          randomBytes(o.padBytes),
        ),
      );
    const data = deflateSync(Buffer.from(header + body, 'latin1'));
    object(
      packId,
      stream(
        `/Type /ObjStm /N ${packed.length} /First ${header.length} /Filter /FlateDecode`,
        data,
      ),
    );
    const xrefId = packId + 1;
    size = xrefId + 1;
    const rows: Buffer[] = [];
    for (let n = 0; n < size; n++) {
      const row = Buffer.alloc(7);
      const inPack = packed.indexOf(n);
      if (n === 0) row.writeUInt8(0, 0);
      else if (inPack >= 0) {
        row.writeUInt8(2, 0);
        row.writeUInt32BE(packId, 1);
        row.writeUInt16BE(inPack, 5);
      } else {
        row.writeUInt8(1, 0);
        row.writeUInt32BE(n === xrefId ? length : (offsets.get(n) ?? 0), 1);
      }
      rows.push(row);
    }
    const xref = length;
    object(
      xrefId,
      stream(
        `/Type /XRef /Size ${size} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode`,
        deflateSync(Buffer.concat(rows)),
      ),
    );
    push(`startxref\n${xref}\n%%EOF\n`);
  }
  if (o.incrementalUpdate) {
    const update = length;
    offsets.set(pageIds[0]!, length);
    push(`${pageIds[0]} 0 obj\n${pageText(0).replace('/Rotate 0', '/Rotate 90')}\nendobj\n`);
    const xref = length;
    push(
      `xref\n0 1\n0000000000 65535 f \n${pageIds[0]} 1\n${String(update).padStart(10, '0')} 00000 n \n`,
    );
    push(`trailer\n<< /Size ${size} /Root 1 0 R /Prev ${update} >>\nstartxref\n${xref}\n%%EOF\n`);
  }
  return Buffer.concat(parts);
}

/** A PNG of the given size (pngjs), noisy so it does not compress to nothing. */
export function makePng(width = 64, height = 48): Buffer {
  const png = new PNG({ width, height });
  const noise = randomBytes(width * height);
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = noise[i]!;
    png.data[i * 4 + 1] = 128;
    png.data[i * 4 + 2] = 255 - noise[i]!;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
