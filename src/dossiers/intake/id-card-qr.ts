import { parseTypedDate } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import { checkPersonalId, type PersonalIdProblem, type Sex } from '../record/index.js';

/**
 * The QR code of the chip căn cước / CCCD, as a counter's 2D scanner types it: one line of fields
 * separated by `|` (docs/DOMAIN.md §5): 12-digit ID number, old 9-digit CMND (may be empty), full
 * name, birth date `ddmmyyyy`, sex (`Nam` / `Nữ`), permanent address, issue date `ddmmyyyy`;
 * some cards add more fields, which are ignored. Pure.
 */
export interface IdCard {
  personalId: string;
  oldId: string | null;
  fullName: string;
  /** `YYYY-MM-DD` */
  birthDate: string;
  sex: Sex;
  address: string;
  issuedOn: string;
}

export type IdCardProblem =
  | 'shape'
  | 'personal_id'
  | 'old_id'
  | 'name'
  | 'birth_date'
  | 'sex'
  | 'address'
  | 'issued_on'
  | PersonalIdProblem;

/** Whether a typed text looks like a scanned card (so the page fills the form instead of submitting). */
export function looksLikeIdCardScan(text: string): boolean {
  return /^\s*\d{12}\|[^|]*\|/.test(text);
}

const ddmmyyyy = (text: string): string | null =>
  /^\d{8}$/.test(text) ? parseTypedDate(text) : null;

export function parseIdCardQr(
  raw: string,
): { ok: true; card: IdCard } | { ok: false; problem: IdCardProblem } {
  const fields = raw
    .normalize('NFC')
    .replace(/[\r\n]+$/, '')
    .split('|')
    .map((f) => f.trim());
  if (fields.length < 7) return { ok: false, problem: 'shape' };
  const [personalId, oldId, fullName, birth, sexText, address, issued] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{12}$/.test(personalId)) return { ok: false, problem: 'personal_id' };
  if (oldId && !/^\d{9}$/.test(oldId)) return { ok: false, problem: 'old_id' };
  if (!fullName || !/^[\p{L}\p{M} .'-]+$/u.test(fullName)) return { ok: false, problem: 'name' };
  const birthDate = ddmmyyyy(birth);
  if (!birthDate) return { ok: false, problem: 'birth_date' };
  const sex: Sex | null =
    sexText === vi.dossiers.sex.male
      ? 'male'
      : sexText === vi.dossiers.sex.female
        ? 'female'
        : null;
  if (!sex) return { ok: false, problem: 'sex' };
  if (!address) return { ok: false, problem: 'address' };
  const issuedOn = ddmmyyyy(issued);
  if (!issuedOn || issuedOn < birthDate) return { ok: false, problem: 'issued_on' };
  // The number must agree with the card's own birth date and sex (its century/sex digit and year).
  const problems = checkPersonalId(personalId, { birthDate, sex });
  if (problems[0]) return { ok: false, problem: problems[0] };
  return {
    ok: true,
    card: { personalId, oldId: oldId || null, fullName, birthDate, sex, address, issuedOn },
  };
}

/** Fills the intake fields a card gives that are still empty (birth date as dd/mm/yyyy). */
export function fillFromIdCard<T extends Record<string, unknown>>(values: T, card: IdCard): T {
  const empty = (k: string) => values[k] === undefined || values[k] === null || values[k] === '';
  const [y, mo, d] = card.birthDate.split('-');
  const given: Record<string, string> = {
    personal_id: card.personalId,
    applicant_name: card.fullName,
    birth_date: `${d}/${mo}/${y}`,
    sex: card.sex,
    address: card.address,
  };
  const filled: Record<string, unknown> = { ...values };
  for (const [k, v] of Object.entries(given)) if (empty(k)) filled[k] = v;
  return filled as T;
}
