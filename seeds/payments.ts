import type { Transaction } from 'kysely';
import type { Database } from '../src/db/schema.js';

/**
 * Fee rules (docs/DOMAIN.md §10) and the demo offices' illustrative beneficiary. Rules are master
 * data an administrator may edit later: each has a stable code, and seeding adds only the codes
 * that are missing. The exemption categories of TT 75/2022 (residence) and TT 73/2024 (căn cước)
 * are *(unverified)*: read in secondary summaries, to be checked against the circulars' text.
 */
interface FeeRuleSeed {
  code: string;
  procedureCode: string;
  category?: string;
  channel?: 'counter' | 'online' | 'post';
  amount: number;
  label: string;
  legalBasis: string;
}

const RESIDENCE_ONLINE: [string, number][] = [
  ['1.004222', 10000],
  ['1.004194', 7000],
  ['1.002755', 7000],
  ['1.010038', 5000],
];
const RESIDENCE_EXEMPT: [string, string][] = [
  ['child', 'Trẻ em (dưới 16 tuổi): miễn lệ phí'],
  ['elderly', 'Người cao tuổi: miễn lệ phí'],
  ['disabled', 'Người khuyết tật: miễn lệ phí'],
  ['merit', 'Người có công với cách mạng và thân nhân: miễn lệ phí'],
  ['poor_household', 'Công dân thuộc hộ nghèo: miễn lệ phí'],
];

export const FEE_RULES: FeeRuleSeed[] = [
  ...RESIDENCE_ONLINE.map(([procedureCode, amount]) => ({
    code: `${procedureCode}-online`,
    procedureCode,
    channel: 'online' as const,
    amount,
    label: 'Nộp hồ sơ trực tuyến: mức thu giảm',
    legalBasis: 'Thông tư 75/2022/TT-BTC',
  })),
  ...RESIDENCE_ONLINE.flatMap(([procedureCode]) =>
    RESIDENCE_EXEMPT.map(([category, label]) => ({
      code: `${procedureCode}-${category}`,
      procedureCode,
      category,
      amount: 0,
      label,
      legalBasis: 'Thông tư 75/2022/TT-BTC, Điều 4 (chưa đối chiếu văn bản gốc)',
    })),
  ),
  {
    code: '2.000200-first',
    procedureCode: '2.000200',
    amount: 0,
    label: 'Cấp thẻ căn cước lần đầu: miễn lệ phí',
    legalBasis: 'Thông tư 73/2024/TT-BTC (chưa đối chiếu văn bản gốc)',
  },
  {
    code: '2.001195-boundary',
    procedureCode: '2.001195',
    category: 'boundary_change',
    amount: 0,
    label: 'Đổi thẻ do Nhà nước thay đổi địa giới hành chính: miễn lệ phí',
    legalBasis: 'Thông tư 73/2024/TT-BTC (chưa đối chiếu văn bản gốc)',
  },
];

/** An illustrative account: a real bank's BIN (VietinBank) so apps read the QR; the account is made up. */
const DEMO_BENEFICIARY = {
  payment_bank_bin: '970415',
  payment_account_name: 'CONG AN MINH HOA',
  payment_illustrative: 1,
};
const DEMO_ACCOUNTS: Record<string, string> = {
  '000.00.13.H40': '113000000013',
  '000.11.13.H40': '113000001113',
  '000.12.13.H40': '113000001213',
  '000.13.13.H40': '113000001313',
};

export async function seedPayments(tx: Transaction<Database>, now: string): Promise<void> {
  for (const [position, r] of FEE_RULES.entries()) {
    await tx
      .insertInto('fee_rules')
      .values({
        code: r.code,
        procedure_code: r.procedureCode,
        category: r.category ?? '',
        channel: r.channel ?? null,
        amount_vnd: r.amount,
        label: r.label,
        legal_basis: r.legalBasis,
        position,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
  // Only offices that never had a beneficiary (null): an administrator's clearing stores ''.
  for (const [code, account] of Object.entries(DEMO_ACCOUNTS)) {
    await tx
      .updateTable('offices')
      .set({ ...DEMO_BENEFICIARY, payment_account_no: account })
      .where('code', '=', code)
      .where('payment_bank_bin', 'is', null)
      .execute();
  }
}
