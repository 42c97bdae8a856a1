/**
 * Demo offices: the model office of the article behind this project, Lý Nhân district police
 * (Hà Nam), and three of its communes. The codes follow the QCVN 102 shape but are placeholders:
 * Hà Nam's agency code was not found and district police ceased on 01/3/2025, so a real
 * installation replaces these with the codes its province issued (docs/DOMAIN.md §1, §2).
 */
export interface OfficeSeed {
  code: string;
  name: string;
  shortName: string;
  address: string;
  phone: string;
  openingHours: string;
  parentCode: string | null;
  validFrom: string;
}

const HOURS = 'Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00; sáng thứ Bảy: 7:30–11:30 (tiếp nhận hồ sơ cư trú)';

export const OFFICES: OfficeSeed[] = [
  {
    code: '000.00.10.H35',
    name: 'Công an huyện Lý Nhân',
    shortName: 'CA Lý Nhân',
    address: 'Thị trấn Vĩnh Trụ, huyện Lý Nhân, tỉnh Hà Nam',
    phone: '0226 3871 113',
    openingHours: HOURS,
    parentCode: null,
    validFrom: '2020-01-01',
  },
  {
    code: '000.11.10.H35',
    name: 'Công an thị trấn Vĩnh Trụ',
    shortName: 'CA Vĩnh Trụ',
    address: 'Tổ dân phố Bến, thị trấn Vĩnh Trụ, huyện Lý Nhân, tỉnh Hà Nam',
    phone: '0226 3871 234',
    openingHours: HOURS,
    parentCode: '000.00.10.H35',
    validFrom: '2020-01-01',
  },
  {
    code: '000.12.10.H35',
    name: 'Công an xã Hòa Hậu',
    shortName: 'CA Hòa Hậu',
    address: 'Thôn 3, xã Hòa Hậu, huyện Lý Nhân, tỉnh Hà Nam',
    phone: '0226 3872 345',
    openingHours: HOURS,
    parentCode: '000.00.10.H35',
    validFrom: '2020-01-01',
  },
  {
    code: '000.13.10.H35',
    name: 'Công an xã Nhân Thịnh',
    shortName: 'CA Nhân Thịnh',
    address: 'Thôn Hoàng Đông, xã Nhân Thịnh, huyện Lý Nhân, tỉnh Hà Nam',
    phone: '0226 3873 456',
    openingHours: HOURS,
    parentCode: '000.00.10.H35',
    validFrom: '2020-01-01',
  },
];
