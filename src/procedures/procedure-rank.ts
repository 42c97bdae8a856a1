import { foldVietnamese } from '../lib/fold.js';

/**
 * How well a procedure matches what the officer typed in the intake's picker, so that Enter
 * opens the procedure they meant (docs/DECISIONS.md "The picker ranks by the name"). The query
 * and the name are folded (no diacritics, đ = d, lower case) and compared word by word:
 *
 *   0  the whole query is a phrase of the name ("dang ky tam tru" in "Đăng ký tạm trú")
 *   1  every word of the query is a word of the name, in the same order
 *   2  every word of the query begins a word of the name ("cap doi the" → "Cấp đổi thẻ …")
 *   3  the query begins the procedure's code ("1.0041")
 *   4  every word appears somewhere in the code, name, group or its aliases ("cccd")
 *   null: no match
 *
 * Within tiers 0–2 the name with fewest words besides the query's comes first, then the one where
 * the match starts earliest, then the catalog's order (the caller's list order). Pure.
 * public/js/app.js ranks the same way in the browser; the e2e test checks both agree.
 */
export interface RankedProcedure {
  code: string;
  name: string;
  /** Group name and aliases: searched only in the last tier. */
  extra?: string;
}

export type Rank = readonly [tier: number, extraWords: number, start: number];

const words = (text: string) => foldVietnamese(text).split(' ').filter(Boolean);

/** Where `needle` occurs in `hay` as consecutive whole words, or -1. */
function phraseAt(hay: string[], needle: string[]): number {
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (needle.every((w, j) => hay[i + j] === w)) return i;
  return -1;
}

/** Where `needle`'s words occur in `hay` in order, each matched by `same`; the first index, or -1. */
function inOrderAt(hay: string[], needle: string[], same: (h: string, n: string) => boolean) {
  let at = -1;
  let from = 0;
  for (const n of needle) {
    let i = from;
    while (i < hay.length && !same(hay[i]!, n)) i++;
    if (i === hay.length) return -1;
    if (at < 0) at = i;
    from = i + 1;
  }
  return at;
}

/** The rank of one procedure for a query, or null when it does not match at all. */
export function rankProcedure(query: string, p: RankedProcedure): Rank | null {
  const q = words(query);
  if (q.length === 0) return [5, 0, 0];
  const name = words(p.name);
  const extraWords = Math.max(0, name.length - q.length);
  const phrase = phraseAt(name, q);
  if (phrase >= 0) return [0, extraWords, phrase];
  const ordered = inOrderAt(name, q, (h, n) => h === n);
  if (ordered >= 0) return [1, extraWords, ordered];
  if (q.every((n) => name.some((h) => h.startsWith(n)))) {
    const at = inOrderAt(name, q, (h, n) => h.startsWith(n));
    return [2, extraWords, at >= 0 ? at : name.length];
  }
  const code = foldVietnamese(p.code);
  if (code.startsWith(q.join(' '))) return [3, 0, 0];
  const hay = foldVietnamese(`${p.code} ${p.name} ${p.extra ?? ''}`);
  if (q.every((w) => hay.includes(w))) return [4, 0, 0];
  return null;
}

const compare = (a: Rank, b: Rank) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The procedures matching the query, best first; ties keep the list's order. */
export function rankProcedures<T extends RankedProcedure>(query: string, list: readonly T[]): T[] {
  return list
    .map((p, i) => ({ p, i, rank: rankProcedure(query, p) }))
    .filter((x): x is { p: T; i: number; rank: Rank } => x.rank !== null)
    .sort((a, b) => compare(a.rank, b.rank) || a.i - b.i)
    .map((x) => x.p);
}
