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

export type VehicleKind = 'car' | 'motorbike' | 'e_bike';

// Series letters never use I, J, O, Q, W.
const L = '[A-HK-NPR-VXYZ]';
const PLATE_PATTERNS: Record<VehicleKind, RegExp[]> = {
  car: [new RegExp(`^\\d{2}${L}${L}?-?\\d{3}\\.?\\d{2}$`), new RegExp(`^\\d{2}${L}${L}?-?\\d{4}$`)],
  motorbike: [new RegExp(`^\\d{2}-?${L}{2}\\d{3}\\.?\\d{2}$`), new RegExp(`^\\d{2}-?${L}\\d\\d{3}\\.?\\d{2}$`), new RegExp(`^\\d{2}-?${L}\\d\\d{4}$`)],
  e_bike: [/^\d{2}-?M[ĐD]\d\d{3}\.?\d{2}$/],
};
/** Frame numbers (số khung): VIN-like, letters and digits without I, O, Q. */
const FRAME_RE = /^[A-HJ-NPR-Z0-9]{6,20}$/;

/** Upper case without spaces: `29-mđ1 013.53` → `29-MĐ1013.53`. */
export function normalizeVehicleId(text: string): string {
  return text.toUpperCase().replace(/\s+/g, '');
}

/** A plate of the given kind, or a frame number (first registrations have no plate yet). */
export function isValidVehicleId(text: string, kind: VehicleKind): boolean {
  const id = normalizeVehicleId(text);
  return PLATE_PATTERNS[kind].some((re) => re.test(id)) || FRAME_RE.test(id);
}
