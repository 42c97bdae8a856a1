import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pagesInOrder, type ReadPage } from '../../../src/reports/book-pages.js';
import type { BookKey } from '../../../src/reports/tracking-book.repository.js';

/** A book in memory: rows are keys in order; a page is the `size` rows after a key. */
function book(ids: number[]) {
  const rows = [...ids].sort((a, b) => a - b).map((id) => ({ at: `t${id}`, id }));
  return {
    rows,
    ends(size: number): BookKey[] {
      return rows.filter((_, i) => (i + 1) % size === 0);
    },
  };
}

type Payload = { ids: number[]; firstN: number };

function reader(rows: () => BookKey[], size: number, log: string[] = []) {
  return async (after: BookKey | null, firstN: number): Promise<ReadPage<Payload>> => {
    log.push(`read ${after?.id ?? '-'} #${firstN}`);
    await new Promise((r) => setTimeout(r, 0));
    const all = rows();
    const start = after ? all.findIndex((r) => r.id > after.id) : 0;
    const page = start < 0 ? [] : all.slice(start, start + size);
    return {
      count: page.length,
      last: page.at(-1) ?? null,
      payload: { ids: page.map((r) => r.id), firstN },
    };
  };
}

async function collect(pages: AsyncGenerator<ReadPage<Payload>>) {
  const ids: number[] = [];
  const numbers: number[] = [];
  for await (const page of pages) {
    ids.push(...page.payload.ids);
    page.payload.ids.forEach((_, i) => numbers.push(page.payload.firstN + i));
  }
  return { ids, numbers };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 10);

describe('pagesInOrder', () => {
  it('reads every page of the plan once, in order, several at a time', async () => {
    const b = book(range(25));
    const log: string[] = [];
    const out = await collect(
      pagesInOrder({
        ends: b.ends(10),
        pageSize: 10,
        firstN: 1,
        depth: 3,
        read: reader(() => b.rows, 10, log),
      }),
    );
    expect(out.ids).toEqual(range(25));
    expect(out.numbers).toEqual(range(25).map((_, i) => i + 1));
    // Pages 2 and 3 were asked for before page 1 came back; nothing was read twice.
    expect(log.slice(0, 3)).toEqual(['read - #1', 'read 100 #11', 'read 200 #21']);
    expect(log).toHaveLength(3);
  });

  it('numbers on from the rows of the offices before', async () => {
    const b = book(range(12));
    const out = await collect(
      pagesInOrder({
        ends: b.ends(5),
        pageSize: 5,
        firstN: 101,
        depth: 2,
        read: reader(() => b.rows, 5),
      }),
    );
    expect(out.numbers[0]).toBe(101);
    expect(out.numbers.at(-1)).toBe(112);
  });

  it('reads a book of exact pages to its end, and an empty one', async () => {
    const exact = book(range(20));
    expect(
      (
        await collect(
          pagesInOrder({
            ends: exact.ends(10),
            pageSize: 10,
            firstN: 1,
            depth: 3,
            read: reader(() => exact.rows, 10),
          }),
        )
      ).ids,
    ).toEqual(range(20));
    const empty = book([]);
    expect(
      (
        await collect(
          pagesInOrder({
            ends: [],
            pageSize: 10,
            firstN: 1,
            depth: 3,
            read: reader(() => empty.rows, 10),
          }),
        )
      ).ids,
    ).toEqual([]);
  });

  it('pages one at a time without a plan', async () => {
    const b = book(range(23));
    const log: string[] = [];
    const out = await collect(
      pagesInOrder({
        ends: [],
        pageSize: 10,
        firstN: 1,
        depth: 1,
        read: reader(() => b.rows, 10, log),
      }),
    );
    expect(out.ids).toEqual(range(23));
    expect(log).toEqual(['read - #1', 'read 100 #11', 'read 200 #21']);
  });

  it('never skips, repeats or misnumbers a row when the book changes after the plan', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 15 }),
        fc.array(fc.integer({ min: 0, max: 59 }), { maxLength: 15 }),
        fc.integer({ min: 1, max: 4 }),
        async (size, added, removedAt, depth) => {
          const b = book(range(size));
          const ends = b.ends(7);
          // The changes land after the plan was made, before the pages are read.
          const removed = new Set(
            removedAt.map((i) => b.rows[i]?.id).filter((id) => id !== undefined),
          );
          const now = book([
            ...b.rows.map((r) => r.id).filter((id) => !removed.has(id)),
            ...added.filter((id) => id % 10 !== 0),
          ]);
          const unique = [...new Set(now.rows.map((r) => r.id))];
          const current = book(unique);
          const out = await collect(
            pagesInOrder({
              ends,
              pageSize: 7,
              firstN: 1,
              depth,
              read: reader(() => current.rows, 7),
            }),
          );
          expect(out.ids).toEqual(current.rows.map((r) => r.id));
          expect(out.numbers).toEqual(current.rows.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves no failure unhandled when the reader stops early', async () => {
    const b = book(range(40));
    let calls = 0;
    const read = async (after: BookKey | null, firstN: number) => {
      calls++;
      if (calls > 1) throw new Error('the database went away');
      return reader(() => b.rows, 10)(after, firstN);
    };
    const pages = pagesInOrder({ ends: b.ends(10), pageSize: 10, firstN: 1, depth: 3, read });
    const first = await pages.next();
    expect(first.value?.payload.ids).toHaveLength(10);
    await expect(pages.next()).rejects.toThrow('the database went away');
  });
});
