/**
 * Vietnam keeps UTC+7 all year (no daylight saving), so local dates and times are computed with
 * a fixed offset, never with the machine's time zone.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;

/** `YYYY-MM-DD` of the local (UTC+7) calendar day the instant falls on. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** `HH:MM` of the local (UTC+7) wall clock at the instant. */
export function localTimeOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant at which the local wall clock shows `time` (HH:MM) on local day `date`. */
export function instantAtLocal(date: string, time: string): Date {
  return new Date(Date.parse(`${date}T${time}:00.000Z`) - OFFSET_MS);
}

/** First instant of local day `date`, as an ISO UTC string (for range queries over `*_at`). */
export function startOfLocalDayIso(date: string): string {
  return instantAtLocal(date, '00:00').toISOString();
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * The dates of the days the walks pass, kept (1970–2169): one string per day, so the next lookup
 * of the same day finds its hash already computed.
 */
const DATES: (string | undefined)[] = [];
const EPOCH_DAYS = new Map<string, number>();
const KEPT_DAYS = 73_000;

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date that exists, by arithmetic (H. Hinnant's
 * days-from-civil), or null for any other text. The deadline walks call addDays and dayOfWeek for
 * every day they pass, three walks per intake: parsing and printing a Date each time was 4 % of
 * an intake's CPU (docs/BENCHMARKS.md).
 */
export function epochDayOf(date: string): number | null {
  const kept = EPOCH_DAYS.get(date);
  if (kept !== undefined) return kept;
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const digit = (i: number) => {
    const c = date.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  const y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  return Number.isNaN(y)
    ? null
    : daysFromCivil(y, digit(5) * 10 + digit(6), digit(8) * 10 + digit(9));
}

/**
 * Days since 1970-01-01 of year `y`, month `m` (1–12), day `d` of the proleptic Gregorian
 * calendar, or null when there is no such day (NaN included).
 */
export function daysFromCivil(year: number, m: number, d: number): number | null {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(year, m))) return null;
  const y = year - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function dateOfEpochDay(days: number): string {
  if (days < 0 || days >= KEPT_DAYS) return printEpochDay(days);
  let date = DATES[days];
  if (date === undefined) {
    date = printEpochDay(days);
    DATES[days] = date;
    EPOCH_DAYS.set(date, days);
  }
  return date;
}

/** `YYYY-MM-DD` of a day counted from 1970-01-01 (H. Hinnant's civil-from-days), years 0–9999. */
function printEpochDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Calendar arithmetic on `YYYY-MM-DD` strings (pure, zone-free). */
export function addDays(date: string, days: number): string {
  const day = epochDayOf(date);
  const result = day === null ? NaN : day + days;
  if (Number.isInteger(result) && result >= -719_162 && result <= 2_932_896)
    return dateOfEpochDay(result); // 0000-01-01 … 9999-12-31
  // Anything else as JavaScript's dates answer it (a RangeError for what is not a date).
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, for a `YYYY-MM-DD` calendar date. */
export function dayOfWeek(date: string): number {
  const day = epochDayOf(date);
  if (day === null) return new Date(`${date}T00:00:00Z`).getUTCDay();
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Typed in the shape of a date (dd/mm/yyyy, ddmmyyyy or yyyy-mm-dd), whether or not it exists. */
export function looksLikeDate(text: string): boolean {
  const t = text.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(t) || /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$|^\d{8}$/.test(t);
}

/**
 * A date as people type it at a Vietnamese counter: `dd/mm/yyyy` (also with `-` or `.`, one-digit
 * day or month, or no separators: `01051990`), or ISO `yyyy-mm-dd`. Returns ISO or null.
 */
export function parseTypedDate(text: string): string | null {
  const t = text.trim();
  let iso: string | null = /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : null;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (!iso && dmy) iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  return iso && isIsoDate(iso) ? iso : null;
}
