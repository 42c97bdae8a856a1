import { viPayments } from '../locale/vi-payments.js';

/**
 * An amount in Vietnamese words, as receipts write it: "Một trăm năm mươi nghìn đồng". Pure.
 * Rules (docs/DOMAIN.md §10): groups of three digits named nghìn, triệu, tỷ (then nghìn tỷ, …); a
 * group after a higher one reads its hundreds even when zero ("một nghìn không trăm năm mươi");
 * zero tens before a unit read "linh" ("một trăm linh năm"); 1 after twenty and more reads
 * "mốt", 5 after any tens "lăm"; 4 stays "bốn" (the form receipts use); empty groups are skipped.
 */
const W = viPayments.words;

function readGroup(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const words: string[] = [];
  if (h > 0 || full) words.push(W.digits[h]!, W.hundred);
  if (t === 0) {
    if (u > 0) {
      if (h > 0 || full) words.push(W.zeroTens);
      words.push(W.digits[u]!);
    }
  } else if (t === 1) {
    words.push(W.ten);
    if (u > 0) words.push(u === 5 ? W.fiveAfterTens : W.digits[u]!);
  } else {
    words.push(W.digits[t]!, W.tens);
    if (u > 0) words.push(u === 1 ? W.oneAfterTens : u === 5 ? W.fiveAfterTens : W.digits[u]!);
  }
  return words;
}

/** The name of the i-th group of three digits (0: units): '', nghìn, triệu, tỷ, nghìn tỷ, … */
function scaleName(i: number): string {
  const billions = Math.floor(i / 3);
  const rest = i % 3;
  return [W.scales[rest]!, ...Array<string>(billions).fill(W.scales[3]!)].filter(Boolean).join(' ');
}

/** The words of a whole number of đồng (0 to Number.MAX_SAFE_INTEGER), capitalised, with "đồng". */
export function amountInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError('an amount in words needs a whole, non-negative number');
  const groups: number[] = [];
  for (let rest = amount; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i]!;
    if (group === 0) continue;
    words.push(...readGroup(group, i < groups.length - 1));
    const scale = scaleName(i);
    if (scale) words.push(scale);
  }
  if (words.length === 0) words.push(W.digits[0]!);
  words.push(W.currency);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
