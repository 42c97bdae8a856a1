import { matchHeadings, type CellValue } from './tracking-book-row.js';
import { readSheet, type SheetRow } from './tracking-book-reader.js';

/**
 * The child process that parses an uploaded tracking book (see sheet-reader.ts): started with a
 * heap limit, it sends rows in batches and waits for the parent to ask for more, so neither side
 * holds the file in memory. Columns past the last known heading are dropped here: a sheet with
 * one cell in column XFD would otherwise send 16,384 cells a row.
 */
const BATCH = 500;
/** Before the heading row is found, rows are cut to this many cells. */
const MAX_CELLS_BEFORE_HEADING = 64;

const send = (message: unknown) =>
  new Promise<void>((resolve, reject) =>
    process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())),
  );
let waiting: (() => void) | null = null;
process.on('message', (message: { next?: boolean }) => {
  if (message?.next && waiting) {
    const go = waiting;
    waiting = null;
    go();
  }
});
const askedForMore = () => new Promise<void>((resolve) => (waiting = resolve));

async function main(path: string): Promise<void> {
  let width = MAX_CELLS_BEFORE_HEADING;
  let headingFound = false;
  let batch: SheetRow[] = [];
  for await (const row of readSheet(path)) {
    let cells: CellValue[] = row.cells.length > width ? row.cells.slice(0, width) : row.cells;
    if (!headingFound) {
      const columns = matchHeadings(cells);
      if (columns) {
        headingFound = true;
        width = Math.max(...columns.values()) + 1;
        cells = cells.slice(0, width);
      }
    }
    batch.push({ rowNumber: row.rowNumber, cells });
    if (batch.length >= BATCH) {
      await send({ rows: batch });
      batch = [];
      await askedForMore();
    }
  }
  await send({ rows: batch, done: true });
}

main(process.argv[2]!).then(
  () => process.exit(0),
  async (err: unknown) => {
    await send({ error: String((err as Error)?.message ?? err) }).catch(() => undefined);
    process.exit(1);
  },
);
