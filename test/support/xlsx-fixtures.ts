import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { ZipWriter } from '../../src/lib/zip-writer.js';

/**
 * Hand-made XLSX files for the attacks the import must survive: written part by part with our
 * streaming ZIP writer, so a test can make a sheet of any shape without holding it in memory.
 */
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';

export interface XlsxParts {
  /** Writes the sheet's `<row>` elements. */
  rows(write: (xml: string) => Promise<void>): Promise<void>;
  /** Writes the `<si>` elements of the shared strings. */
  sharedStrings?(write: (xml: string) => Promise<void>): Promise<void>;
}

export async function writeXlsx(file: string, parts: XlsxParts): Promise<void> {
  const out = createWriteStream(file);
  const zip = new ZipWriter(out, { level: 6, wallClock: new Date('2026-01-01T00:00:00Z') });
  const entry = async (
    name: string,
    body: string | ((write: (xml: string) => Promise<void>) => Promise<void>),
  ) => {
    await zip.begin(name);
    if (typeof body === 'string') await zip.write(body);
    else await body((xml) => zip.write(xml));
    await zip.end();
  };
  await entry('[Content_Types].xml', CONTENT_TYPES);
  await entry('_rels/.rels', ROOT_RELS);
  await entry('xl/workbook.xml', WORKBOOK);
  await entry('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  await entry('xl/sharedStrings.xml', async (write) => {
    await write(
      '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    );
    if (parts.sharedStrings) await parts.sharedStrings(write);
    await write('</sst>');
  });
  await entry('xl/worksheets/sheet1.xml', async (write) => {
    await write(
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    );
    await parts.rows(write);
    await write('</sheetData></worksheet>');
  });
  await zip.finish();
  out.end();
  await finished(out);
}

/** A shared-strings zip bomb: one string of `megabytes` MB of one letter (a few hundred KB packed). */
export function sharedStringsBomb(file: string, megabytes: number): Promise<void> {
  const chunk = 'A'.repeat(1024 * 1024);
  return writeXlsx(file, {
    sharedStrings: async (write) => {
      await write('<si><t>');
      for (let i = 0; i < megabytes; i++) await write(chunk);
      await write('</t></si>');
    },
    rows: async (write) => write('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
  });
}

/** Many distinct shared strings: a real-looking sheet too big for a small heap. */
export function manyStrings(file: string, count: number, length: number): Promise<void> {
  return writeXlsx(file, {
    sharedStrings: async (write) => {
      let batch = '';
      for (let i = 0; i < count; i++) {
        batch += `<si><t>${String(i).padStart(length, 'x')}</t></si>`;
        if (batch.length > 1_000_000) {
          await write(batch);
          batch = '';
        }
      }
      await write(batch);
    },
    rows: async (write) => write('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
  });
}

const inline = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/**
 * A sparse sheet: a tracking-book heading row, then `rows` rows with one inline cell in column
 * XFD (the last of 16,384), so every row unpacks to 16,384 cells.
 */
export function sparseSheet(file: string, rows: number): Promise<void> {
  return writeXlsx(file, {
    rows: async (write) => {
      let batch = `<row r="1">${inline('A1', 'Mã thủ tục')}${inline('B1', 'Người nộp')}${inline('C1', 'Ngày nhận')}</row>`;
      for (let r = 2; r <= rows + 1; r++) {
        batch += `<row r="${r}"><c r="XFD${r}" t="inlineStr"><is><t>x</t></is></c></row>`;
        if (batch.length > 1_000_000) {
          await write(batch);
          batch = '';
        }
      }
      await write(batch);
    },
  });
}
