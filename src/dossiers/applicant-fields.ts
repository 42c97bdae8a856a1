/**
 * Validation of the other applicant and vehicle fields (docs/DOMAIN.md §5). Pure.
 */

/** Mobile numbers: 10 digits from 0, or +84; spaces, dots and dashes are ignored. */
const MOBILE_RE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$/;

/** `+84 912 345 678` → `0912345678`; null when it is not a Vietnamese mobile number. */
export function normalizeMobile(text: string): string | null {
  let digits = text.replace(/[\s.()-]/g, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return MOBILE_RE.test(digits) ? digits : null;
}

/** Frame numbers (số khung): VIN-like, letters and digits without I, O, Q. */
const FRAME_RE = /^[A-HJ-NPR-Z0-9]{6,20}$/;
/** Engine numbers (số máy): letters and digits as stamped. */
const ENGINE_RE = /^[A-Z0-9]{5,20}$/;

/** Upper case without spaces, dots or dashes, as frame and engine numbers are compared. */
export function normalizeStampedNumber(text: string): string {
  return text.toUpperCase().replace(/[\s.-]/g, '');
}

export function isValidFrameNumber(normalized: string): boolean {
  return FRAME_RE.test(normalized);
}

export function isValidEngineNumber(normalized: string): boolean {
  return ENGINE_RE.test(normalized);
}
