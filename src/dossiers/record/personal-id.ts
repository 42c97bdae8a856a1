/**
 * Personal identification numbers (số định danh cá nhân), TT 07/2016 structure (docs/DOMAIN.md §5):
 * 12 digits `PPP G YY RRRRRR`: PPP the province where the birth was registered, G century and
 * sex, YY the last two digits of the birth year. There is no checksum.
 */
import { BIRTH_PROVINCES } from '../../locale/provinces.js';

/** Province codes of TT 07/2016 (63 provinces before the 2025 merger; numbers keep them). */
export const PROVINCE_CODES: Record<string, string> = BIRTH_PROVINCES;

export type Sex = 'male' | 'female';

export type PersonalIdProblem =
  'format' | 'province' | 'century_sex' | 'birth_year' | 'sex_mismatch';

/** Century/sex digit: 1900s male 0 / female 1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 2300s 8/9. */
export function centurySexDigit(birthYear: number, sex: Sex): number {
  const century = Math.floor(birthYear / 100) - 19;
  return century * 2 + (sex === 'female' ? 1 : 0);
}

export function decodePersonalId(
  id: string,
): { province: string; provinceName: string | undefined; sex: Sex; birthYear: number } | null {
  if (!/^\d{12}$/.test(id)) return null;
  const g = Number(id[3]);
  const century = 1900 + Math.floor(g / 2) * 100;
  return {
    province: id.slice(0, 3),
    provinceName: PROVINCE_CODES[id.slice(0, 3)],
    sex: g % 2 === 0 ? 'male' : 'female',
    birthYear: century + Number(id.slice(4, 6)),
  };
}

/**
 * Checks an ID number on its own and, when given, against the birth date and sex: returns the
 * problems found (empty when valid).
 */
export function checkPersonalId(
  id: string,
  person: { birthDate?: string | undefined; sex?: Sex | undefined } = {},
): PersonalIdProblem[] {
  const decoded = decodePersonalId(id);
  if (!decoded) return ['format'];
  const problems: PersonalIdProblem[] = [];
  if (!decoded.provinceName) problems.push('province');
  if (person.birthDate) {
    const year = Number(person.birthDate.slice(0, 4));
    if (year < 1900 || year > 2399) problems.push('century_sex');
    else {
      const expectedCentury = Math.floor(year / 100) - 19;
      const actualCentury = Math.floor(Number(id[3]) / 2);
      if (expectedCentury !== actualCentury) problems.push('century_sex');
      else if (decoded.birthYear !== year) problems.push('birth_year');
    }
  }
  if (person.sex && decoded.sex !== person.sex) problems.push('sex_mismatch');
  return problems;
}
