import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Dossier codes `<office code>-<YYMMDD>-<NNNN>` (docs/DOMAIN.md §2): NNNN is a daily sequence
 * per office from 0001. Pure formatting and parsing; allocation happens in the intake
 * transaction (dossiers.repository).
 */
export function formatDossierCode(officeCode: string, localDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 9999) {
    throw new RangeError(`daily sequence must be 1–9999, got ${sequence}`);
  }
  return `${officeCode}-${codeDay(localDate)}-${String(sequence).padStart(4, '0')}`;
}

/** `2026-03-10` → `260310` */
export function codeDay(localDate: string): string {
  return localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
}

const CODE_RE = /^([0-9A-Za-z.]{3,40})-(\d{6})-(\d{4})$/;

export function parseDossierCode(
  code: string,
): { officeCode: string; day: string; sequence: number } | null {
  const m = CODE_RE.exec(code.trim());
  if (!m) return null;
  return { officeCode: m[1]!, day: m[2]!, sequence: Number(m[3]) };
}

export function looksLikeDossierCode(text: string): boolean {
  return CODE_RE.test(text.trim());
}

/**
 * Lookup keys: read aloud and typed from paper, so the alphabet leaves out look-alikes (0/O,
 * 1/I/L). Eight characters: 31^8 ≈ 8.5 × 10^11 keys, which keeps a botnet's guessing of one
 * code at centuries (docs/SECURITY.md has the arithmetic); six gave it about two months.
 */
export const LOOKUP_KEY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const LOOKUP_KEY_LENGTH = 8;

export function generateLookupKey(random: (max: number) => number = randomInt): string {
  let key = '';
  for (let i = 0; i < LOOKUP_KEY_LENGTH; i++)
    key += LOOKUP_KEY_ALPHABET[random(LOOKUP_KEY_ALPHABET.length)];
  return key;
}

/** What a citizen typed, made comparable: upper case, no spaces or dashes. */
export function normalizeLookupKey(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * The stored form of a lookup key: an HMAC-SHA256 with the server's secret over code and key
 * (`h1:` + hex), so a stolen backup does not give the keys back by brute force without the
 * secret, and one hash never fits another dossier.
 */
export function hashLookupKey(secret: string, code: string, key: string): string {
  return `h1:${createHmac('sha256', secret).update(`${code}:${key}`).digest('hex')}`;
}

/**
 * Whether `key` opens the dossier whose stored hash is `stored`, compared in constant time. Hashes
 * written before keyed hashing (plain SHA-256, no prefix) are still accepted until a reprint
 * replaces them.
 */
export function lookupKeyMatches(
  secret: string,
  code: string,
  key: string,
  stored: string,
): boolean {
  const expected = stored.startsWith('h1:')
    ? hashLookupKey(secret, code, key)
    : createHash('sha256').update(`${code}:${key}`).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
