/**
 * Folds Vietnamese text for search: lower case, no diacritics, đ → d, single spaces. "Nguyễn Văn
 * Đức" and "nguyen van duc" fold to the same string.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Vietnamese alphabetical order (Intl's collation for `vi`), one collator for the process:
 * `a.localeCompare(b, 'vi')` makes its collator anew on each call, seven times slower (measured:
 * 0.98 against 0.14 ms to sort 300 names).
 */
export const compareVietnamese: (a: string, b: string) => number = new Intl.Collator('vi').compare;
