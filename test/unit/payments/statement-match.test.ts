import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyTransfer,
  dossierCodesIn,
  matchStatementHeadings,
  parseStatementDate,
  parseVnd,
  statementLineOf,
} from '../../../src/payments/statement-match.js';

const OFFICES = ['000.00.13.H40', '000.11.13.H40', '000.00.10.H35'];

describe('dossier codes in a transfer’s content', () => {
  it.each([
    ['HS 0000013H402603100001', ['000.00.13.H40-260310-0001']],
    ['000.00.13.H40-260310-0001 NOP LE PHI', ['000.00.13.H40-260310-0001']],
    [
      'MBVCB.123.NGUYEN VAN AN chuyen tien HS0001113H402603110042 FT26069',
      ['000.11.13.H40-260311-0042'],
    ],
    ['hs 000 00 13 h40 260310 0001', ['000.00.13.H40-260310-0001']],
    [
      'Lệ phí HS 0000013H402603100001 và HS 0000013H402603100002',
      ['000.00.13.H40-260310-0001', '000.00.13.H40-260310-0002'],
    ],
    ['chuyen tien an trua', []],
    ['HS 0000013H40260310', []],
  ])('%s', (text, codes) => {
    expect(dossierCodesIn(text, OFFICES)).toEqual(codes);
  });

  it('finds any code written in any of the forms banks leave (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OFFICES),
        fc.integer({ min: 0, max: 999999 }),
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom('', 'HS ', 'ND: ', 'NGUYEN VAN AN CK '),
        fc.constantFrom(
          (c: string) => c,
          (c: string) => c.replace(/[.-]/g, ''),
          (c: string) => c.replace(/[.-]/g, ' ').toLowerCase(),
        ),
        (office, day, seq, prefix, bankForm) => {
          const code = `${office}-${String(day).padStart(6, '0')}-${String(seq).padStart(4, '0')}`;
          expect(dossierCodesIn(`${prefix}${bankForm(code)} FT2606`, OFFICES)).toEqual([code]);
        },
      ),
    );
  });
});

describe('statement cells', () => {
  it.each([
    [20000, 20000],
    ['20,000', 20000],
    ['20.000', 20000],
    ['1.234.567', 1234567],
    ['20.000,00', 20000],
    ['20,000.00', 20000],
    ['+20,000 VND', 20000],
    ['-50.000', -50000],
    ['20000.00', 20000],
    ['20,5', null],
    ['abc', null],
    ['', null],
    [null, null],
    [1.5, null],
  ])('%s đồng is %s', (cell, value) => {
    expect(parseVnd(cell as never)).toBe(value);
  });

  it.each([
    ['10/03/2026', '2026-03-10'],
    ['10/03/2026 09:15:22', '2026-03-10'],
    ['1/3/2026', '2026-03-01'],
    ['2026-03-10', '2026-03-10'],
    ['31/02/2026', null],
    ['hôm nay', null],
  ])('the date %s is %s', (cell, date) => {
    expect(parseStatementDate(cell)).toBe(date);
  });

  it('reads a sheet date as its calendar day', () => {
    expect(parseStatementDate(new Date(Date.UTC(2026, 2, 10)))).toBe('2026-03-10');
  });

  it('finds the heading row by its Vietnamese or English names', () => {
    const vn = matchStatementHeadings([
      'STT',
      'Ngày giao dịch',
      'Số tham chiếu',
      'Ghi nợ',
      'Ghi có',
      'Nội dung',
    ]);
    expect(Object.fromEntries(vn!)).toEqual({
      date: 1,
      reference: 2,
      debit: 3,
      credit: 4,
      description: 5,
    });
    expect(matchStatementHeadings(['Date', 'Description', 'Amount'])).not.toBeNull();
    expect(matchStatementHeadings(['SAO KÊ TÀI KHOẢN', null, null])).toBeNull();
  });

  it('keeps credits and drops debits, totals and blank rows', () => {
    const columns = matchStatementHeadings([
      'Ngày',
      'Số tiền ghi nợ',
      'Số tiền ghi có',
      'Diễn giải',
      'Mã giao dịch',
    ])!;
    expect(
      statementLineOf(7, ['10/03/2026', null, '20.000', 'HS 0000013H402603100001', 'FT1'], columns),
    ).toEqual({
      lineNo: 7,
      bookedOn: '2026-03-10',
      amount: 20000,
      description: 'HS 0000013H402603100001',
      bankRef: 'FT1',
    });
    expect(statementLineOf(8, ['10/03/2026', '5.000', null, 'Phí SMS', 'FT2'], columns)).toBeNull();
    expect(statementLineOf(9, ['Tổng cộng', null, '20.000', null, null], columns)).toBeNull();
  });
});

describe('a transfer against the payment it names', () => {
  const due = { state: 'due', amountDue: 20000, method: null, confirmedByStatement: false };
  it.each([
    [20000, due, 'paid'],
    [20000, { ...due, state: 'pending' }, 'paid'],
    [15000, due, 'amount_mismatch'],
    [20000, { ...due, amountDue: null }, 'not_payable'],
    [20000, { ...due, amountDue: 0 }, 'not_payable'],
    [20000, { ...due, state: 'cancelled' }, 'not_payable'],
    [20000, { ...due, state: 'paid', method: 'cash' }, 'already_paid'],
    [20000, { ...due, state: 'paid', method: 'transfer' }, 'confirmed'],
    [
      20000,
      { ...due, state: 'paid', method: 'transfer', confirmedByStatement: true },
      'already_paid',
    ],
  ] as const)('%i against %o is %s', (amount, payment, outcome) => {
    expect(classifyTransfer(amount, payment)).toBe(outcome);
  });
});
