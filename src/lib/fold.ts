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
