import { vi } from '../locale/vi.js';
import { localDateOf, localTimeOf, dayOfWeek } from './vietnam-time.js';

const WEEKDAYS = vi.common.weekdays;

/** `dd/mm/yyyy` from a local `YYYY-MM-DD`. */
export function formatDate(localDate: string | null | undefined): string {
  if (!localDate) return '—';
  const [y, m, d] = localDate.split('-');
  return `${d}/${m}/${y}`;
}

/** `Thứ Ba, 11/02/2025` */
export function formatDateWithWeekday(localDate: string | null | undefined): string {
  if (!localDate) return '—';
  return `${WEEKDAYS[dayOfWeek(localDate)]}, ${formatDate(localDate)}`;
}

export function weekdayName(localDate: string): string {
  return WEEKDAYS[dayOfWeek(localDate)]!;
}

/**
 * The UTC hour of a stored instant (`YYYY-MM-DDTHH:MM:SS` with optional fraction digits, then
 * `Z`), read from its code units, or -1 for any other text. With a regular expression (and its
 * match array) a tracking-book CSV page of 1,000 rows took 3.85 ms to encode, without it 3.55 ms
 * (docs/BENCHMARKS.md).
 */
export function storedInstantHour(iso: string): number {
  const n = iso.length;
  if (n < 20 || n === 21 || iso.charCodeAt(n - 1) !== 90) return -1; // Z
  if (
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58 ||
    (n > 20 && iso.charCodeAt(19) !== 46) // .
  )
    return -1;
  for (let i = 0; i < n - 1; i++) {
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16 || i === 19) continue;
    const c = iso.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return (iso.charCodeAt(11) - 48) * 10 + iso.charCodeAt(12) - 48;
}

/** `hh:mm dd/mm/yyyy` in Vietnam's time, the form the slips use. */
export function formatDateTime(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  // Stored instants (ISO, UTC) whose local time falls on the same calendar day are rearranged
  // as text: exports format millions of them, and a Date per value was most of their cost.
  if (typeof iso === 'string') {
    const utcHour = storedInstantHour(iso);
    const hour = utcHour < 0 ? 24 : utcHour + 7;
    if (hour < 24)
      return `${hour < 10 ? '0' : ''}${hour}:${iso.slice(14, 16)} ${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  }
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${localTimeOf(d)} ${formatDate(localDateOf(d))}`;
}

/** `hh:mm, Thứ Ba, 11/02/2025` */
export function formatDateTimeWithWeekday(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${localTimeOf(d)}, ${formatDateWithWeekday(localDateOf(d))}`;
}

/** `20.000 ₫`; null means the fee is not a fixed amount. */
export function formatMoney(vnd: number | null | undefined): string {
  if (vnd === null || vnd === undefined) return '—';
  if (vnd === 0) return vi.common.free;
  return `${vnd.toLocaleString('vi-VN')} ₫`;
}

/** A procedure's fee: an amount, free, or set case by case (no amount in the catalog). */
export function formatFee(vnd: number | null | undefined): string {
  return vnd === null || vnd === undefined ? vi.dossiers.feeByCase : formatMoney(vnd);
}

/** A date for a typed dd/mm/yyyy field: an ISO date shown as dd/mm/yyyy, anything else as typed. */
export function formatTypedDate(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
}

/** "ngày 01 tháng 3 năm 2026", as the forms write a date (the month without a leading zero). */
export function formatFormDate(localDate: string | null | undefined): string {
  if (!localDate) return vi.forms.blankDate;
  const [y, m, d] = localDate.split('-');
  return vi.forms.date(d!, String(Number(m)), y!);
}

/** "09 giờ 30 phút, ngày 10 tháng 3 năm 2026" */
export function formatFormTime(iso: string | Date | null | undefined): string {
  if (!iso) return vi.forms.blankTime;
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const [h, min] = localTimeOf(d).split(':');
  return vi.forms.time(h!, min!, formatFormDate(localDateOf(d)));
}

// Formatters made once: toLocaleString with options builds a new Intl.NumberFormat on every call
// (2 % of the report page's CPU in its profile, for a few thousand cells).
const percentFormats = new Map<number, Intl.NumberFormat>();
const countFormat = new Intl.NumberFormat('vi-VN');

/** A share the Vietnamese way: "33,3 %" (null: "—"). */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  let format = percentFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('vi-VN', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    percentFormats.set(digits, format);
  }
  return `${format.format(ratio * 100)} %`;
}

/** Whole numbers with the Vietnamese thousands separator: "1.234". */
export function formatCount(n: number): string {
  // Most cells of a report are small counts, which have no separator to place: their text is
  // String's, without a call into Intl (formatCount was 1 % of the report page's CPU).
  // (-0 is not one: Intl writes it "-0".)
  if (Number.isInteger(n) && n < 1000 && (n > 0 || Object.is(n, 0))) return String(n);
  return countFormat.format(n);
}

const decimalFormats = new Map<number, Intl.NumberFormat>();

/** A number with at most `maxDigits` decimals, the Vietnamese way: "1.234,57" (null: "—"). */
export function formatDecimal(n: number | null | undefined, maxDigits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let format = decimalFormats.get(maxDigits);
  if (!format) {
    format = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: maxDigits });
    decimalFormats.set(maxDigits, format);
  }
  return format.format(n);
}

/**
 * A duration given in seconds, as a person reads it: "6,5 giây", "38 phút", "37,9 giờ",
 * "2,5 ngày" (the unit grows with the value; one decimal below ten of a unit).
 */
export function formatSeconds(seconds: number): string {
  const u = vi.reports.durationUnits;
  const units: [number, string][] = [
    [86_400, u.day],
    [3_600, u.hour],
    [60, u.minute],
  ];
  const [size, unit] = units.find(([n]) => seconds >= n * 2) ?? [1, u.second];
  const value = seconds / size;
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString('vi-VN', { maximumFractionDigits: digits })} ${unit}`;
}

const PLACE_PREFIX = new RegExp(`^(${vi.forms.placeKinds.join('|')})\\s+`, 'iu');

/**
 * The place a form is dated at, with its capital ("Hoa Lư, ngày …"): the office's own place
 * name, else the part of its address before the province, without the unit's kind.
 */
export function placeOf(office: { place_name?: string; address: string }): string {
  const given = office.place_name?.trim();
  const fromAddress =
    office.address
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .slice(-2, -1)[0] ??
    office.address.split(',').at(-1)?.trim() ??
    '';
  const place = (given || fromAddress.replace(PLACE_PREFIX, '')).trim();
  return place ? place.charAt(0).toLocaleUpperCase('vi') + place.slice(1) : '……';
}

export const formatters = {
  typedDate: formatTypedDate,
  formDate: formatFormDate,
  formTime: formatFormTime,
  percent: formatPercent,
  count: formatCount,
  decimal: formatDecimal,
  seconds: formatSeconds,
  place: placeOf,
  date: formatDate,
  dateWithWeekday: formatDateWithWeekday,
  dateTime: formatDateTime,
  dateTimeWithWeekday: formatDateTimeWithWeekday,
  money: formatMoney,
  fee: formatFee,
  weekday: weekdayName,
};
