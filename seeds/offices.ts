/**
 * Demo offices, as offices stand since 2025 (docs/DOMAIN.md §1): the police of the merged Ninh
 * Bình province with its Phòng Cảnh sát QLHC về TTXH (PC06), which receives at its one-stop
 * counter and oversees the communes' reception in this demo, and three commune police offices.
 * Lý Nhân district police (Hà Nam), the model office of the article behind this project, stays
 * as a closed office (valid until 28/02/2025, the day before district police ceased) that holds
 * its history. The codes follow the QCVN 102 shape but are placeholders, and the commune names
 * are marked as illustrations: a real installation enters the codes and names its province issued.
 */
export interface OfficeSeed {
  code: string;
  name: string;
  shortName: string;
  address: string;
  phone: string;
  /** Working periods of a day; the published hours are rendered from them. */
  workingHours: string;
  parentCode: string | null;
  validFrom: string;
  validTo?: string;
}

/** Published as "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00". */
const HOURS = '07:30-11:30,13:30-17:00';

export const OFFICES: OfficeSeed[] = [
  {
    code: '000.00.00.H40',
    name: 'Công an tỉnh Ninh Bình',
    shortName: 'CA Ninh Bình',
    address: 'Đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình',
    phone: '0229 3871 100',
    workingHours: HOURS,
    parentCode: null,
    validFrom: '2025-07-01',
  },
  {
    code: '000.00.13.H40',
    name: 'Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình',
    shortName: 'PC06 Ninh Bình',
    address: 'Đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình',
    phone: '0229 3871 113',
    workingHours: HOURS,
    parentCode: '000.00.00.H40',
    validFrom: '2025-03-01',
  },
  {
    code: '000.11.13.H40',
    name: 'Công an xã Vĩnh Trụ (minh họa)',
    shortName: 'CA Vĩnh Trụ',
    address: 'Tổ dân phố Bến, xã Vĩnh Trụ, tỉnh Ninh Bình',
    phone: '0229 3871 234',
    workingHours: HOURS,
    parentCode: '000.00.13.H40',
    validFrom: '2025-07-01',
  },
  {
    code: '000.12.13.H40',
    name: 'Công an xã Hòa Hậu (minh họa)',
    shortName: 'CA Hòa Hậu',
    address: 'Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình',
    phone: '0229 3872 345',
    workingHours: HOURS,
    parentCode: '000.00.13.H40',
    validFrom: '2025-07-01',
  },
  {
    code: '000.13.13.H40',
    name: 'Công an xã Nhân Thịnh (minh họa)',
    shortName: 'CA Nhân Thịnh',
    address: 'Thôn Hoàng Đông, xã Nhân Thịnh, tỉnh Ninh Bình',
    phone: '0229 3873 456',
    workingHours: HOURS,
    parentCode: '000.00.13.H40',
    validFrom: '2025-07-01',
  },
  {
    code: '000.00.10.H35',
    name: 'Công an huyện Lý Nhân (đã giải thể)',
    shortName: 'CA Lý Nhân (cũ)',
    address: 'Thị trấn Vĩnh Trụ, huyện Lý Nhân, tỉnh Hà Nam (cũ)',
    phone: '0226 3871 113',
    workingHours: HOURS,
    parentCode: null,
    validFrom: '2020-01-01',
    validTo: '2025-02-28',
  },
];

/** The office that took over a closed office's work (its open dossiers are moved there). */
export const SUCCESSORS: Record<string, string> = { '000.00.10.H35': '000.00.13.H40' };
