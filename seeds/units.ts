/**
 * Demo processing units: the district police's teams that take dossiers after the counter, and
 * a commune's residence team. The first unit of an office is where a dossier goes by default;
 * vehicle procedures go to the traffic police (their step plans name CSGT).
 */
export interface UnitSeed {
  officeCode: string;
  code: string;
  name: string;
}

export const UNITS: UnitSeed[] = [
  { officeCode: '000.00.13.H40', code: 'QLHC', name: 'Đội Cảnh sát QLHC về TTXH' },
  { officeCode: '000.00.13.H40', code: 'CSGT', name: 'Đội Cảnh sát giao thông – trật tự' },
  { officeCode: '000.11.13.H40', code: 'CUTRU', name: 'Tổ đăng ký, quản lý cư trú' },
  { officeCode: '000.12.13.H40', code: 'CUTRU', name: 'Tổ đăng ký, quản lý cư trú' },
  { officeCode: '000.13.13.H40', code: 'CUTRU', name: 'Tổ đăng ký, quản lý cư trú' },
];

/** Report groups whose procedures the traffic police process (plan unit code). */
export const UNIT_OF_REPORT_GROUP: Record<string, string> = { dang_ky_xe: 'CSGT' };
