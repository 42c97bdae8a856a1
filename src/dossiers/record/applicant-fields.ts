/**
 * Validation of the other applicant and vehicle fields (docs/DOMAIN.md §5). Pure.
 */

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
