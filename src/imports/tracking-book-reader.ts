import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { CellValue } from './tracking-book-row.js';

/**
 * Reads a tracking-book file row by row, streaming: CSV (UTF-8 with or without byte-order mark,
 * comma or semicolon) or XLSX (first worksheet). Rows are numbered as a spreadsheet shows them,
 * from 1, so an error can name the row the user sees.
 */
export interface SheetRow {
  rowNumber: number;
  cells: CellValue[];
}

export type FileKind = 'csv' | 'xlsx';

/** XLSX files are ZIP archives: they start with "PK\x03\x04" whatever their name. */
export async function detectFileKind(path: string): Promise<FileKind> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50 ? 'xlsx' : 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * Comma or semicolon (Excel writes semicolons where the comma is the decimal mark): the one
 * that splits the heading row (the first line naming "thủ tục") into more fields.
 */
export async function detectDelimiter(path: string): Promise<',' | ';'> {
  const handle = await open(path, 'r');
  let sample: string;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    sample = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const lines = sample.split(/\r?\n/);
  const heading = lines.find((l) => /th[uủ] t[uụ]c/i.test(l.normalize('NFC'))) ?? sample;
  const outsideQuotes = heading.replace(/"[^"]*"/g, '');
  const commas = outsideQuotes.split(',').length;
  const semicolons = outsideQuotes.split(';').length;
  return semicolons > commas ? ';' : ',';
}

async function* readCsv(path: string): AsyncGenerator<SheetRow> {
  const delimiter = await detectDelimiter(path);
  // Decoded as text before parsing: a character whose bytes straddle two chunks stays whole.
  const parser = createReadStream(path, { encoding: 'utf8' }).pipe(
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }),
  );
  let first = true;
  for await (const record of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (first && record.record[0]?.startsWith('\uFEFF'))
      record.record[0] = record.record[0].slice(1); // byte-order mark
    first = false;
    const cells = record.record.map((c) => (c === '' ? null : c.normalize('NFC')));
    yield { rowNumber: record.info.lines, cells };
  }
}

/** An exceljs cell value as text, number or date (rich text, formulas and links flattened). */
function cellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value.normalize('NFC');
  if (typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      result?: unknown;
      text?: unknown;
      error?: string;
    };
    if (Array.isArray(v.richText))
      return (
        v.richText
          .map((r) => r.text)
          .join('')
          .normalize('NFC') || null
      );
    if ('result' in v) return cellValue(v.result);
    if (typeof v.text === 'string') return v.text.normalize('NFC');
    if (v.error) return String(v.error);
  }
  return String(value as string | number);
}

/** Decodes UTF-8 across chunk boundaries: a character split between two chunks stays whole. */
async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Iterable<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<unknown>;
};

/**
 * exceljs's streaming reader decodes each compressed chunk on its own, so a Vietnamese letter
 * whose bytes straddle two chunks turns into U+FFFD (exceljs issues #2084, #2316, still open).
 * This reader hands it text decoded across chunk boundaries instead.
 */
class Utf8SafeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Iterable<unknown> {
    const parent = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
    return parent._parseWorksheet.call(this, decodeUtf8(iterator), sheetNo);
  }

  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<unknown> {
    entry.setEncoding('utf8'); // a readable stream with an encoding decodes across chunks
    const parent = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
    return parent._parseSharedStrings.call(this, entry);
  }
}

async function* readXlsx(path: string): AsyncGenerator<SheetRow> {
  const reader = new Utf8SafeWorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      // row.values is 1-based and sparse: index 0 is unused.
      const values = row.values as unknown[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      yield { rowNumber: row.number, cells };
    }
    break; // the tracking book is the first worksheet
  }
}

export async function* readSheet(path: string): AsyncGenerator<SheetRow> {
  const kind = await detectFileKind(path);
  yield* kind === 'xlsx' ? readXlsx(path) : readCsv(path);
}
