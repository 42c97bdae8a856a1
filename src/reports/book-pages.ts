import type { BookKey } from './tracking-book.repository.js';

/** A page as read (and encoded): how many rows, the key of its last row, what to write. */
export interface ReadPage<P> {
  count: number;
  last: BookKey | null;
  payload: P;
}

/**
 * The pages of one office's book, in order, each exactly once, read `depth` at a time.
 *
 * A page is the `pageSize` rows after a key (keyset paging), numbered from a row number. The
 * plan (`ends`: the key that ends each full page, read up front) lets page k be asked for before
 * page k − 1 has come back, so that pages are read and encoded side by side on the read workers.
 * A page is only used when it starts where the page before it really ended, at the row number
 * that follows: if the book changed between the plan and the reads (a dossier imported into the
 * period, one removed), the page made from the plan is dropped and asked for again from where
 * the book really is, then page after page. Rows are never skipped, repeated or misnumbered.
 * The last page is the first one shorter than `pageSize`.
 */
export async function* pagesInOrder<P>(options: {
  ends: BookKey[];
  pageSize: number;
  /** The number of the book's first row here (the rows of earlier offices come before). */
  firstN: number;
  depth: number;
  read: (after: BookKey | null, firstN: number) => Promise<ReadPage<P>>;
}): AsyncGenerator<ReadPage<P>> {
  const { ends, pageSize, depth, read } = options;
  interface Asked {
    after: BookKey | null;
    firstN: number;
    page: Promise<ReadPage<P>>;
  }
  const ask = (after: BookKey | null, firstN: number): Asked => {
    const page = read(after, firstN);
    // Awaited in its turn, or dropped (a stale plan, a consumer that stopped early).
    page.catch(() => undefined);
    return { after, firstN, page };
  };
  const asked: Asked[] = [];
  let planned = 0; // pages of the plan asked for so far (the plan has ends.length + 1)
  let followPlan = true;
  const askAhead = () => {
    while (followPlan && asked.length < Math.max(1, depth) && planned <= ends.length) {
      asked.push(
        ask(planned === 0 ? null : ends[planned - 1]!, options.firstN + planned * pageSize),
      );
      planned++;
    }
  };
  let after: BookKey | null = null;
  let firstN = options.firstN;
  askAhead();
  for (;;) {
    let next = asked.shift();
    if (!next || !sameKey(next.after, after) || next.firstN !== firstN) {
      // Off the plan (or past it): from here, each page from where the last one ended.
      followPlan = false;
      asked.length = 0;
      next = ask(after, firstN);
    }
    const page = await next.page;
    if (page.count > 0) yield page;
    if (page.count < pageSize || !page.last) return;
    after = page.last;
    firstN += page.count;
    askAhead();
  }
}

function sameKey(a: BookKey | null, b: BookKey | null): boolean {
  return a === null || b === null ? a === b : a.at === b.at && a.id === b.id;
}
