/**
 * Personal identification numbers (số định danh cá nhân), TT 07/2016 structure (DOMAIN.md §5):
 * 12 digits `PPP G YY RRRRRR`: PPP the province where the birth was registered, G century and
 * sex, YY the last two digits of the birth year. There is no checksum.
 */

/** Province codes of TT 07/2016 (63 provinces before the 2025 merger; numbers keep them). */
export const PROVINCE_CODES: Record<string, string> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang',
  '010': 'Lào Cai', '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái',
  '017': 'Hòa Bình', '019': 'Thái Nguyên', '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang',
  '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh', '030': 'Hải Dương', '031': 'Hải Phòng',
  '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định', '037': 'Ninh Bình',
  '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định',
  '054': 'Phú Yên', '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum',
  '064': 'Gia Lai', '066': 'Đắk Lắk', '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước',
  '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai', '077': 'Bà Rịa - Vũng Tàu', '079': 'TP. Hồ Chí Minh',
  '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh', '086': 'Vĩnh Long',
  '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

export type Sex = 'male' | 'female';

export type PersonalIdProblem =
  | 'format'
  | 'province'
  | 'century_sex'
  | 'birth_year'
  | 'sex_mismatch';

/** Century/sex digit: 1900s male 0 / female 1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 2300s 8/9. */
export function centurySexDigit(birthYear: number, sex: Sex): number {
  const century = Math.floor(birthYear / 100) - 19;
  return century * 2 + (sex === 'female' ? 1 : 0);
}

export function decodePersonalId(id: string): { province: string; provinceName: string | undefined; sex: Sex; birthYear: number } | null {
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
export function checkPersonalId(id: string, person: { birthDate?: string | undefined; sex?: Sex | undefined } = {}): PersonalIdProblem[] {
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
