/** Demo accounts for development and demos only: never seeded when NODE_ENV=production. */
export const DEMO_PASSWORD = 'MotCua@2026';

export interface AccountSeed {
  username: string;
  fullName: string;
  role: 'officer' | 'supervisor' | 'admin';
  officeCode: string;
  /** A unit-scoped role in one of the office's processing units (seeds/units.ts). */
  unit?: { code: string; role: 'processor' | 'approver' };
}

export const DEMO_ACCOUNTS: AccountSeed[] = [
  { username: 'canbo', fullName: 'Trần Thị Hoa', role: 'officer', officeCode: '000.00.13.H40' },
  {
    username: 'lanhdao',
    fullName: 'Nguyễn Văn Minh',
    role: 'supervisor',
    officeCode: '000.00.13.H40',
  },
  { username: 'quantri', fullName: 'Phạm Đức Anh', role: 'admin', officeCode: '000.00.13.H40' },
  {
    username: 'xuly',
    fullName: 'Lê Thị Thu',
    role: 'officer',
    officeCode: '000.00.13.H40',
    unit: { code: 'QLHC', role: 'processor' },
  },
  {
    username: 'pheduyet',
    fullName: 'Đỗ Văn Hùng',
    role: 'officer',
    officeCode: '000.00.13.H40',
    unit: { code: 'QLHC', role: 'approver' },
  },
  {
    username: 'csgt',
    fullName: 'Vũ Quang Hải',
    role: 'officer',
    officeCode: '000.00.13.H40',
    unit: { code: 'CSGT', role: 'processor' },
  },
];
