import { createHash, randomInt } from 'node:crypto';

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

export function parseDossierCode(code: string): { officeCode: string; day: string; sequence: number } | null {
  const m = CODE_RE.exec(code.trim());
  if (!m) return null;
  return { officeCode: m[1]!, day: m[2]!, sequence: Number(m[3]) };
}

export function looksLikeDossierCode(text: string): boolean {
  return CODE_RE.test(text.trim());
}

/**
 * Lookup keys: short, read aloud and typed from paper, so the alphabet leaves out look-alikes
 * (0/O, 1/I/L) and the vowels that spell words by accident are kept; 31^6 ≈ 887 million keys.
 */
export const LOOKUP_KEY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const LOOKUP_KEY_LENGTH = 6;

export function generateLookupKey(random: (max: number) => number = randomInt): string {
  let key = '';
  for (let i = 0; i < LOOKUP_KEY_LENGTH; i++) key += LOOKUP_KEY_ALPHABET[random(LOOKUP_KEY_ALPHABET.length)];
  return key;
}

/** What a citizen typed, made comparable: upper case, no spaces or dashes. */
export function normalizeLookupKey(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/** The stored form of a lookup key: bound to its dossier code so one hash never fits another. */
export function hashLookupKey(code: string, key: string): string {
  return createHash('sha256').update(`${code}:${key}`).digest('hex');
}
