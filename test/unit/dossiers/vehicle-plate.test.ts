import { describe, expect, it } from 'vitest';
import {
  isValidEngineNumber,
  isValidFrameNumber,
  normalizeStampedNumber,
} from '../../../src/dossiers/record/applicant-fields.js';
import {
  canonicalPlate,
  displayPlate,
  formatPlate,
  parseAnyPlate,
  parsePlate,
  plateKindsOf,
} from '../../../src/dossiers/record/vehicle-plate.js';
import { PLATE_PROVINCES } from '../../../src/locale/provinces.js';

describe('plates as people write them', () => {
  it.each([
    ['90B1-123.45', 'motorbike', '90B112345', '90-B1 123.45'],
    ['90-B1 123.45', 'motorbike', '90B112345', '90-B1 123.45'],
    ['90B1 - 12345', 'motorbike', '90B112345', '90-B1 123.45'],
    ['90b1.123.45', 'motorbike', '90B112345', '90-B1 123.45'],
    ['90-AB 123.45', 'motorbike', '90AB12345', '90-AB 123.45'],
    ['18-B2 1234', 'motorbike', '18B21234', '18-B2 1234'],
    ['29A-123.45', 'car', '29A12345', '29A-123.45'],
    ['30E12345', 'car', '30E12345', '30E-123.45'],
    ['30K-1234', 'car', '30K1234', '30K-1234'],
    ['35 a 678 90', 'car', '35A67890', '35A-678.90'],
    ['29-MĐ1 013.53', 'e_bike', '29MD101353', '29-MĐ1 013.53'],
    ['29-md1 01353', 'e_bike', '29MD101353', '29-MĐ1 013.53'],
  ] as const)('%s (%s) is %s, shown %s', (typed, kind, canonical, shown) => {
    const plate = parsePlate(typed, kind);
    expect(plate?.canonical).toBe(canonical);
    expect(formatPlate(plate!)).toBe(shown);
    expect(displayPlate(canonical, kind)).toBe(shown);
  });

  it('reduces every spelling of one plate to one search key', () => {
    const keys = new Set(
      ['90B1-123.45', '90-B1 123.45', '90B1 - 12345', '90 b1 123 45', '90–B1–123.45'].map(
        canonicalPlate,
      ),
    );
    expect([...keys]).toEqual(['90B112345']);
  });

  it.each([
    ['90I-123.45', 'car'], // I never appears
    ['90O-123.45', 'car'],
    ['90-AB 12', 'motorbike'],
    ['90-B1 1234567', 'motorbike'],
    ['90A-123.45', 'e_bike'],
    ['29-MĐ 013.53', 'e_bike'],
    ['x', 'car'],
    ['13A-123.45', 'car'], // 13 is no province's code
    ['80A-123.45', 'car'], // central agencies, not a province
    // Typed as a car's plate (one series letter before the dash): never re-read as 29-A1 2345.
    ['29A-123.45', 'motorbike'],
    ['29A 123.45', 'motorbike'],
    ['29A-12345', 'motorbike'],
    ['90-B1 123.45', 'car'],
  ] as const)('refuses %s for a %s', (typed, kind) => {
    expect(parsePlate(typed, kind)).toBeNull();
  });

  it('knows the 34 provinces since 2025 and the codes each keeps (a merged province keeps all)', () => {
    expect(Object.keys(PLATE_PROVINCES)).toHaveLength(34);
    const codes = Object.values(PLATE_PROVINCES).flat();
    expect(new Set(codes).size).toBe(codes.length); // no code in two provinces
    expect(PLATE_PROVINCES['Ninh Bình']).toEqual(expect.arrayContaining(['18', '35', '90']));
    expect(parsePlate('90A-123.45', 'car')?.province).toBe('Ninh Bình');
    expect(parsePlate('18-B1 123.45', 'motorbike')?.province).toBe('Ninh Bình');
    expect(parsePlate('61A-123.45', 'car')?.province).toBe('TP. Hồ Chí Minh');
    expect(parsePlate('63A-123.45', 'car')?.province).toBe('Đồng Tháp');
  });

  it('says which kind a plate typed for another kind is', () => {
    expect(plateKindsOf('29A-123.45')).toEqual(['car']);
    expect(plateKindsOf('90-B1 123.45')).toEqual(['motorbike']);
    expect(plateKindsOf('29-MĐ1 013.53')).toEqual(['e_bike']);
    // Typed without separators a plate may be read either way; the chosen kind decides.
    expect(plateKindsOf('30E12345')).toEqual(['car', 'motorbike']);
    expect(plateKindsOf('x')).toEqual([]);
  });

  it('reads a plate of unknown kind for search, cars first', () => {
    expect(parseAnyPlate('30E12345')?.kind).toBe('car');
    expect(parseAnyPlate('90-AB 123.45')?.kind).toBe('motorbike');
    expect(parseAnyPlate('29-MĐ1 013.53')?.kind).toBe('e_bike');
    expect(parseAnyPlate('Nguyễn Văn An')).toBeNull();
    expect(parseAnyPlate('0912345678')).toBeNull();
  });
});

describe('frame and engine numbers', () => {
  it('are compared without spaces, dots or dashes, in upper case', () => {
    expect(normalizeStampedNumber('rlhjc 5210-ky.123456')).toBe('RLHJC5210KY123456');
    expect(isValidFrameNumber('RLHJC5210KY123456')).toBe(true);
    expect(isValidFrameNumber('RLHJO5210KY123456')).toBe(false); // no O in a VIN
    expect(isValidEngineNumber('JC52E1234567')).toBe(true);
    expect(isValidEngineNumber('12')).toBe(false);
  });
});
