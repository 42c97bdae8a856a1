import fc from 'fast-check';
import vietnamQrPay from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import {
  compactReference,
  crcText,
  encodeVietQr,
  hasValidCrc,
  purposeFor,
  readTlv,
  VietQrFieldError,
} from '../../../src/payments/vietqr.js';
import { bitwiseCrc16, checkVietQrPayload } from '../../support/vietqr-check.js';

// An independent decoder: vietnam-qr-pay (npm), with its own table-driven CRC.
const { QRPay } = vietnamQrPay as unknown as {
  QRPay: new (payload: string) => {
    isValid: boolean;
    initMethod?: string;
    amount?: string;
    consumer: { bankBin?: string; bankNumber?: string };
    provider: { guid?: string; service?: string };
    additionalData: { billNumber?: string; purpose?: string };
  };
};

/** Published samples (docs/DOMAIN.md §10): every one verifies, and the encoder writes each back. */
const SAMPLES = [
  {
    payload:
      '00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4',
    input: { bankBin: '970423', account: '0099999999' },
  },
  {
    payload:
      '00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA53037045405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB',
    input: {
      bankBin: '970422',
      account: '0023457923442ASDFLJ',
      amount: 40123,
      purpose: 'chuyen khoan alsdkf laksj',
    },
  },
  {
    payload:
      '00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C',
    input: {
      bankBin: '970415',
      account: '0011001932418',
      amount: 120000,
      purpose: 'ung ho lu lut',
    },
  },
];

describe('CRC-16/CCITT-FALSE', () => {
  it('has the catalogue check value 29B1 for "123456789"', () => {
    expect(crcText('123456789')).toBe('29B1');
    expect(bitwiseCrc16('123456789')).toBe(0x29b1);
  });

  it('agrees with an independent bit-by-bit computation on any ASCII text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (text) => {
        expect(crcText(text)).toBe(bitwiseCrc16(text).toString(16).toUpperCase().padStart(4, '0'));
      }),
    );
  });
});

describe('VietQR payloads', () => {
  it.each(SAMPLES)('verifies and reproduces the published sample $input.bankBin', (sample) => {
    expect(hasValidCrc(sample.payload)).toBe(true);
    expect(encodeVietQr(sample.input)).toBe(sample.payload);
    expect(new QRPay(sample.payload).isValid).toBe(true);
  });

  it('refuses a sample with one character changed (its CRC no longer matches)', () => {
    const changed = SAMPLES[2]!.payload.replace('120000', '920000');
    expect(hasValidCrc(changed)).toBe(false);
    expect(new QRPay(changed).isValid).toBe(false);
  });

  it('writes a dossier payment every field of which reads back, in our reader and another', () => {
    const payload = encodeVietQr({
      bankBin: '970415',
      account: '113000000001',
      amount: 20000,
      billNumber: '000.00.13.H40-260310-0001',
      purpose: purposeFor('000.00.13.H40-260310-0001'),
    });
    expect(checkVietQrPayload(payload)).toEqual({
      initiation: '12',
      bankBin: '970415',
      account: '113000000001',
      service: 'QRIBFTTA',
      currency: '704',
      amount: '20000',
      country: 'VN',
      billNumber: '000.00.13.H40-260310-0001',
      purpose: 'HS 0000013H402603100001',
    });
    const other = new QRPay(payload);
    expect(other.isValid).toBe(true);
    expect(other.consumer).toMatchObject({ bankBin: '970415', bankNumber: '113000000001' });
    expect(other.amount).toBe('20000');
    expect(other.additionalData).toMatchObject({
      billNumber: '000.00.13.H40-260310-0001',
      purpose: 'HS 0000013H402603100001',
    });
  });

  it('round-trips any well-formed input (property)', () => {
    const alnum = fc.stringMatching(/^[0-9A-Za-z]{1,19}$/);
    const ascii = fc.stringMatching(/^[\x20-\x7e]{1,25}$/);
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{6}$/),
        alnum,
        fc.option(fc.integer({ min: 1, max: 9_999_999_999 }), { nil: undefined }),
        fc.option(ascii, { nil: undefined }),
        fc.option(ascii, { nil: undefined }),
        (bankBin, account, amount, billNumber, purpose) => {
          const payload = encodeVietQr({ bankBin, account, amount, billNumber, purpose });
          const read = checkVietQrPayload(payload);
          expect(read).toMatchObject({ bankBin, account, country: 'VN', currency: '704' });
          expect(read.amount).toBe(amount === undefined ? undefined : String(amount));
          expect(read.billNumber).toBe(billNumber || undefined);
          expect(read.purpose).toBe(purpose || undefined);
          expect(read.initiation).toBe(amount === undefined ? '11' : '12');
          expect(new QRPay(payload).isValid).toBe(true);
        },
      ),
    );
  });

  it('refuses values the format cannot carry', () => {
    const base = { bankBin: '970415', account: '113000000001' };
    const bad: [Parameters<typeof encodeVietQr>[0], string][] = [
      [{ ...base, bankBin: '97041' }, 'bankBin'],
      [{ ...base, account: '1'.repeat(20) }, 'account'],
      [{ ...base, account: '11-22' }, 'account'],
      [{ ...base, amount: 0 }, 'amount'],
      [{ ...base, amount: 1.5 }, 'amount'],
      [{ ...base, purpose: 'lệ phí' }, 'purpose'],
      [{ ...base, billNumber: 'x'.repeat(26) }, 'billNumber'],
    ];
    for (const [input, field] of bad) {
      const error = (() => {
        try {
          encodeVietQr(input);
        } catch (e) {
          return e;
        }
      })();
      expect(error, field).toBeInstanceOf(VietQrFieldError);
      expect((error as VietQrFieldError).field).toBe(field);
    }
  });

  it('reads malformed text as nothing', () => {
    expect(readTlv('0002')).toBeNull();
    expect(readTlv('00020101')).toBeNull(); // the same ID twice
    expect(readTlv('0x0201')).toBeNull();
  });

  it('writes the dossier code as letters and digits in the purpose, which banks keep', () => {
    expect(compactReference('000.00.13.H40-260310-0001')).toBe('0000013H402603100001');
    expect(purposeFor('000.00.13.H40-260310-0001')).toBe('HS 0000013H402603100001');
    expect(purposeFor(`${'A'.repeat(30)}-260310-0001`)).toBeUndefined();
  });
});
