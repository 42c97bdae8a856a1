/** Demo accounts for development and demos only: never seeded when NODE_ENV=production. */
export const DEMO_PASSWORD = 'MotCua@2026';

export interface AccountSeed {
  username: string;
  fullName: string;
  role: 'officer' | 'supervisor' | 'admin';
  officeCode: string;
}

export const DEMO_ACCOUNTS: AccountSeed[] = [
  { username: 'canbo', fullName: 'Trần Thị Hoa', role: 'officer', officeCode: '000.00.13.H40' },
  { username: 'lanhdao', fullName: 'Nguyễn Văn Minh', role: 'supervisor', officeCode: '000.00.13.H40' },
  { username: 'quantri', fullName: 'Phạm Đức Anh', role: 'admin', officeCode: '000.00.13.H40' },
];
