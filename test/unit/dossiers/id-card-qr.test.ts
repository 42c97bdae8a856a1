import { describe, expect, it } from 'vitest';
import {
  fillFromIdCard,
  looksLikeIdCardScan,
  parseIdCardQr,
} from '../../../src/dossiers/intake/id-card-qr.js';

const GOOD =
  '035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình|15062021';

describe('the ID card QR line', () => {
  it('reads the fields a chip card carries, ignoring fields some cards add', () => {
    const parsed = parseIdCardQr(`${GOOD}|extra|more\r\n`);
    expect(parsed).toEqual({
      ok: true,
      card: {
        personalId: '035090001234',
        oldId: '168123456',
        fullName: 'Nguyễn Văn An',
        birthDate: '1990-05-01',
        sex: 'male',
        address: 'Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình',
        issuedOn: '2021-06-15',
      },
    });
    expect(parseIdCardQr('035190004321||Lê Thị Bình|20111990|Nữ|Thôn 4|02032022')).toMatchObject({
      ok: true,
      card: { oldId: null, sex: 'female' },
    });
  });

  it.each([
    ['035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3', 'shape'],
    ['03509000123|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3|15062021', 'personal_id'],
    ['035090001234|16812|Nguyễn Văn An|01051990|Nam|Thôn 3|15062021', 'old_id'],
    ['035090001234|168123456||01051990|Nam|Thôn 3|15062021', 'name'],
    ['035090001234|168123456|Nguyễn Văn An|31021990|Nam|Thôn 3|15062021', 'birth_date'],
    ['035090001234|168123456|Nguyễn Văn An|01051990|Male|Thôn 3|15062021', 'sex'],
    ['035090001234|168123456|Nguyễn Văn An|01051990|Nam||15062021', 'address'],
    ['035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3|2021', 'issued_on'],
    // The number's century/sex digit says a man born in the 1900s; the card says 2001.
    ['035090001234|168123456|Nguyễn Văn An|01052001|Nam|Thôn 3|15062021', 'century_sex'],
    ['035090001234|168123456|Nguyễn Văn An|01051991|Nam|Thôn 3|15062021', 'birth_year'],
    ['035090001234|168123456|Nguyễn Thị An|01051990|Nữ|Thôn 3|15062021', 'sex_mismatch'],
    ['999090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3|15062021', 'province'],
  ])('refuses %s (%s), filling nothing', (line, problem) => {
    expect(parseIdCardQr(line)).toEqual({ ok: false, problem });
  });

  it('tells a scan from typing, and fills only the fields still empty', () => {
    expect(looksLikeIdCardScan(GOOD)).toBe(true);
    expect(looksLikeIdCardScan('035090001234')).toBe(false);
    const parsed = parseIdCardQr(GOOD);
    if (!parsed.ok) throw new Error('good line refused');
    expect(
      fillFromIdCard({ applicant_name: 'Nguyễn V. An', phone: '0912345678' }, parsed.card),
    ).toEqual({
      applicant_name: 'Nguyễn V. An',
      phone: '0912345678',
      personal_id: '035090001234',
      birth_date: '01/05/1990',
      sex: 'male',
      address: 'Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình',
    });
  });
});
