/** Vietnamese mobile numbers (docs/DOMAIN.md §5). Pure. */

/** Mobile numbers: 10 digits from 0, or +84; spaces, dots and dashes are ignored. */
const MOBILE_RE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$/;

/** `+84 912 345 678` → `0912345678`; null when it is not a Vietnamese mobile number. */
export function normalizeMobile(text: string): string | null {
  let digits = text.replace(/[\s.()-]/g, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return MOBILE_RE.test(digits) ? digits : null;
}
