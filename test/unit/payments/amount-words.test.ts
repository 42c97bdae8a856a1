import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords } from '../../../src/payments/amount-words.js';

/** An independent reader of Vietnamese number words, to check the writer on any amount. */
const DIGIT: Record<string, number> = {
  không: 0,
  một: 1,
  mốt: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  năm: 5,
  lăm: 5,
  sáu: 6,
  bảy: 7,
  tám: 8,
  chín: 9,
};
const SCALE: Record<string, number> = { nghìn: 1e3, triệu: 1e6, tỷ: 1e9 };

function readWords(text: string): number {
  const words = text
    .toLowerCase()
    .replace(/ đồng$/, '')
    .split(' ');
  let total = 0;
  let group = 0;
  let last = 0;
  for (const w of words) {
    if (w in DIGIT) {
      last = DIGIT[w]!;
      group += last;
    } else if (w === 'trăm') group += last * 99;
    else if (w === 'mươi') group += last * 9;
    else if (w === 'mười') group += 10;
    else if (w === 'linh') continue;
    else if (w in SCALE) {
      total += group * SCALE[w]!;
      group = 0;
    } else throw new Error(`unknown word ${w}`);
  }
  return total + group;
}

describe('amounts in words', () => {
  it.each([
    [0, 'Không đồng'],
    [5, 'Năm đồng'],
    [10, 'Mười đồng'],
    [15, 'Mười lăm đồng'],
    [21, 'Hai mươi mốt đồng'],
    [24, 'Hai mươi bốn đồng'],
    [25, 'Hai mươi lăm đồng'],
    [105, 'Một trăm linh năm đồng'],
    [111, 'Một trăm mười một đồng'],
    [7000, 'Bảy nghìn đồng'],
    [10000, 'Mười nghìn đồng'],
    [15000, 'Mười lăm nghìn đồng'],
    [20000, 'Hai mươi nghìn đồng'],
    [50000, 'Năm mươi nghìn đồng'],
    [70000, 'Bảy mươi nghìn đồng'],
    [150000, 'Một trăm năm mươi nghìn đồng'],
    [300000, 'Ba trăm nghìn đồng'],
    [1050, 'Một nghìn không trăm năm mươi đồng'],
    [1005, 'Một nghìn không trăm linh năm đồng'],
    [1_000_005, 'Một triệu không trăm linh năm đồng'],
    [2_050_000, 'Hai triệu không trăm năm mươi nghìn đồng'],
    [1_000_000_000, 'Một tỷ đồng'],
    [
      1_234_567_891,
      'Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt đồng',
    ],
    [2_000_000_000_000, 'Hai nghìn tỷ đồng'],
  ])('%i đồng is "%s"', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });

  it('reads back to the same amount, capitalised, single-spaced, ending in đồng (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (amount) => {
        const words = amountInWords(amount);
        expect(words).toMatch(/^[A-ZĐÂÊÔƠƯĂÁÀẢÃẠ][^ ]*( [^ ]+)* đồng$/u);
        expect(words).not.toMatch(/ {2}/);
        expect(readWords(words)).toBe(amount);
        // "mốt" only after twenty or more; "lăm" only after a tens word.
        expect(words).not.toMatch(/(^|linh |mười )mốt/i);
        expect(words).not.toMatch(/(^|linh |trăm )lăm/i);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not a whole number of đồng', () => {
    expect(() => amountInWords(-1)).toThrow(RangeError);
    expect(() => amountInWords(1.5)).toThrow(RangeError);
  });
});
