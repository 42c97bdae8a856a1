/**
 * The rules of the outbox that need no I/O (docs/ARCHITECTURE.md "Notifications"): templates,
 * SMS length and segments, retry delays, quiet hours. Pure.
 */
export const CHANNELS = ['sms', 'zalo', 'email'] as const;
export type Channel = (typeof CHANNELS)[number] | 'log';

export const MESSAGE_KINDS = [
  'receipt',
  'supplement',
  'rescheduled',
  'due_moved',
  'result_ready',
  'reminder',
  'returned',
  'posted',
  'queue_near',
  'booking_code',
  'booking_confirmed',
  'booking_cancelled',
  'online_supplement',
  'online_refused',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * Messages a citizen is waiting for on a page (the booking's confirmation code): sent at once,
 * through the quiet hours and past the daily cap per phone (booking limits them instead).
 */
export const URGENT_KINDS: readonly MessageKind[] = ['booking_code'];

/** Fills `{name}` placeholders; an unknown placeholder stays as written (the preview shows it). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? values[name]! : whole,
  );
}

/** The placeholders a template uses that the message cannot fill. */
export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].filter(
    (n) => !known.includes(n),
  );
}

// GSM 03.38 basic set (and its extension, counted twice): anything else makes the SMS UCS-2.
// The letters beyond ASCII by code point (some are also Vietnamese letters, but not the tones).
const GSM =
  ' !"#%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz$' +
  String.fromCodePoint(
    0xa,
    0xd,
    0xa1,
    0xa3,
    0xa4,
    0xa5,
    0xa7,
    0xbf,
    0xc4,
    0xc5,
    0xc6,
    0xc7,
    0xc9,
    0xd1,
    0xd6,
    0xd8,
    0xdc,
    0xdf,
    0xe0,
    0xe4,
    0xe5,
    0xe6,
    0xe8,
    0xe9,
    0xec,
    0xf1,
    0xf2,
    0xf6,
    0xf8,
    0xf9,
    0xfc,
    0x393,
    0x394,
    0x398,
    0x39b,
    0x39e,
    0x3a0,
    0x3a3,
    0x3a6,
    0x3a8,
    0x3a9,
  );
const GSM_EXTENDED = '^{}\\[~]|' + String.fromCodePoint(0x20ac);

/**
 * How an SMS travels: GSM-7 (160 characters, 153 per part when split) or, with any Vietnamese
 * diacritic, UCS-2 (70 characters, 67 per part). Characters outside the basic plane count twice.
 */
export function smsSegments(text: string): {
  encoding: 'gsm7' | 'ucs2';
  length: number;
  segments: number;
} {
  const chars = [...text];
  if (chars.every((c) => GSM.includes(c) || GSM_EXTENDED.includes(c))) {
    const length = chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return { encoding: 'gsm7', length, segments: length <= 160 ? 1 : Math.ceil(length / 153) };
  }
  const length = chars.reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { encoding: 'ucs2', length, segments: length <= 70 ? 1 : Math.ceil(length / 67) };
}

/** The wait before attempt `attempt + 1` (1, 2, 4, … minutes, at most 30). */
export function retryDelayMs(attempt: number): number {
  return Math.min(30, 2 ** Math.max(0, attempt - 1)) * 60_000;
}

export interface QuietHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

/** Reads `21:00-07:00`; empty means no quiet hours; null when malformed. */
export function parseQuietHours(text: string): QuietHours | null | 'none' {
  if (!text.trim()) return 'none';
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return start === end ? null : { start, end };
}

const DAY = 86_400_000;
const OFFSET = 7 * 3600_000;

/** When the quiet hours around `at` end, or null when `at` is not in them (local time, UTC+7). */
export function quietUntil(quiet: QuietHours | 'none', at: Date): Date | null {
  if (quiet === 'none') return null;
  const local = at.getTime() + OFFSET;
  const midnight = Math.floor(local / DAY) * DAY;
  const minute = Math.floor((local - midnight) / 60_000);
  const inside =
    quiet.start < quiet.end
      ? minute >= quiet.start && minute < quiet.end
      : minute >= quiet.start || minute < quiet.end;
  if (!inside) return null;
  const endToday = midnight + quiet.end * 60_000;
  return new Date((minute < quiet.end ? endToday : endToday + DAY) - OFFSET);
}

/** The local day (UTC+7) of an instant, for the per-phone daily cap. */
export function localDayStartIso(at: Date): string {
  return new Date(Math.floor((at.getTime() + OFFSET) / DAY) * DAY - OFFSET).toISOString();
}

/** Errors a retry cannot fix (a bad number, a refused template, a rejected address). */
export type SendOutcome =
  | { ok: true; providerId: string | null; delivered?: boolean }
  | { ok: false; permanent: boolean; error: string };

/** What an HTTP answer of a provider means for the message. */
export function outcomeOfStatus(status: number, body: string): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true, providerId: null };
  const error = `HTTP ${status}: ${body.slice(0, 200)}`;
  return {
    ok: false,
    permanent: status >= 400 && status < 500 && status !== 408 && status !== 429,
    error,
  };
}
