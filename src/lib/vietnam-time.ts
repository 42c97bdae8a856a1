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

/** Calendar arithmetic on `YYYY-MM-DD` strings (pure, zone-free). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, for a `YYYY-MM-DD` calendar date. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
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
