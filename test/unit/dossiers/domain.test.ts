import { describe, expect, it } from 'vitest';
import { normalizeMobile } from '../../../src/lib/phone.js';
import {
  codeDay,
  formatDossierCode,
  generateLookupKey,
  LOOKUP_KEY_ALPHABET,
  parseDossierCode,
} from '../../../src/dossiers/record/dossier-code.js';
import { classifyOutcome, DOSSIER_STATUSES } from '../../../src/dossiers/record/dossier-status.js';
import {
  actionsFrom,
  DOSSIER_ACTIONS,
  nextStatus,
} from '../../../src/dossiers/actions/action-table.js';
import {
  centurySexDigit,
  checkPersonalId,
  decodePersonalId,
} from '../../../src/dossiers/record/personal-id.js';
import { foldVietnamese } from '../../../src/lib/fold.js';
import { parseTypedDate } from '../../../src/lib/vietnam-time.js';

describe('dossier codes', () => {
  it('format as <office>-<YYMMDD>-<NNNN>', () => {
    expect(formatDossierCode('000.00.13.H40', '2026-03-10', 1)).toBe('000.00.13.H40-260310-0001');
    expect(formatDossierCode('000.00.13.H40', '2026-12-31', 9999)).toBe(
      '000.00.13.H40-261231-9999',
    );
    expect(codeDay('2025-01-24')).toBe('250124');
  });
  it('refuse a sequence outside 1–9999', () => {
    expect(() => formatDossierCode('X01', '2026-03-10', 0)).toThrow(RangeError);
    expect(() => formatDossierCode('X01', '2026-03-10', 10000)).toThrow(RangeError);
  });
  it('parse back', () => {
    expect(parseDossierCode('000.00.13.H40-260310-0042')).toEqual({
      officeCode: '000.00.13.H40',
      day: '260310',
      sequence: 42,
    });
    expect(parseDossierCode('nonsense')).toBeNull();
  });
  it('make lookup keys without look-alike characters', () => {
    for (const c of '01OIL') expect(LOOKUP_KEY_ALPHABET).not.toContain(c);
    const keys = new Set(Array.from({ length: 200 }, () => generateLookupKey()));
    expect(keys.size).toBeGreaterThan(195);
    for (const k of keys) expect(k).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  });
});

describe('personal ID numbers', () => {
  it.each([
    [1990, 'male', 0],
    [1990, 'female', 1],
    [2005, 'male', 2],
    [2005, 'female', 3],
    [2100, 'male', 4],
    [2399, 'female', 9],
  ] as const)('century/sex digit for %i %s is %i', (year, sex, digit) => {
    expect(centurySexDigit(year, sex)).toBe(digit);
  });

  it('accepts a Hà Nam number consistent with birth date and sex', () => {
    expect(checkPersonalId('035090001234', { birthDate: '1990-05-01', sex: 'male' })).toEqual([]);
    expect(checkPersonalId('035305001234', { birthDate: '2005-02-03', sex: 'female' })).toEqual([]);
    expect(decodePersonalId('037190000001')).toMatchObject({
      province: '037',
      provinceName: 'Ninh Bình',
      sex: 'female',
      birthYear: 1990,
    });
  });

  it.each([
    ['03509000123', {}, 'format'],
    ['03509000123a', {}, 'format'],
    ['003090001234', {}, 'province'],
    ['035290001234', { birthDate: '1990-05-01' }, 'century_sex'],
    ['035091001234', { birthDate: '1990-05-01' }, 'birth_year'],
    ['035190001234', { sex: 'male' }, 'sex_mismatch'],
  ] as const)('flags %s as %s', (id, person, problem) => {
    expect(checkPersonalId(id, person)).toContain(problem);
  });
});

describe('mobile numbers', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['0868.123.456', '0868123456'],
    ['0325-123-456', '0325123456'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
  it.each(['0212345678', '091234567', '09123456789', '0951234567', 'abc'])(
    'rejects %s',
    (input) => {
      expect(normalizeMobile(input)).toBeNull();
    },
  );
});

describe('status workflow', () => {
  it('follows the transition table', () => {
    expect(nextStatus('received', 'start_processing')).toBe('processing');
    expect(nextStatus('processing', 'request_supplement')).toBe('supplement_requested');
    expect(nextStatus('supplement_requested', 'receive_supplement')).toBe('processing');
    expect(nextStatus('processing', 'mark_result_ready')).toBe('result_ready');
    expect(nextStatus('result_ready', 'return_result')).toBe('returned');
    expect(nextStatus('processing', 'reschedule')).toBe('processing');
    expect(nextStatus('result_ready', 'withdraw')).toBe('withdrawn');
  });
  it('allows nothing after a dossier is closed', () => {
    for (const status of ['returned', 'refused', 'withdrawn', 'stopped', 'guided'] as const) {
      expect(actionsFrom(status)).toEqual([]);
    }
  });
  it('never returns a result that is not ready', () => {
    for (const status of DOSSIER_STATUSES) {
      if (status !== 'result_ready') expect(nextStatus(status, 'return_result')).toBeNull();
    }
    expect(DOSSIER_ACTIONS).toContain('return_result');
  });
  it('classifies outcomes by local day against the appointment', () => {
    expect(classifyOutcome('2026-03-09', '2026-03-10', false)).toBe('early');
    expect(classifyOutcome('2026-03-10', '2026-03-10', false)).toBe('on_time');
    expect(classifyOutcome('2026-03-11', '2026-03-10', false)).toBe('late');
    expect(classifyOutcome('2026-03-09', '2026-03-10', true)).toBe('late');
  });
});

describe('foldVietnamese', () => {
  it('folds diacritics and đ', () => {
    expect(foldVietnamese('Nguyễn Văn An')).toBe('nguyen van an');
    expect(foldVietnamese('  ĐẶNG   Thị Đào ')).toBe('dang thi dao');
    expect(foldVietnamese('Nguyễn Văn An'.normalize('NFD'))).toBe('nguyen van an');
  });
});

describe('parseTypedDate', () => {
  it.each([
    ['01/05/1990', '1990-05-01'],
    ['1/5/1990', '1990-05-01'],
    ['01051990', '1990-05-01'],
    ['01-05-1990', '1990-05-01'],
    ['01.05.1990', '1990-05-01'],
    ['1990-05-01', '1990-05-01'],
    ['31/02/1990', null],
    ['1990', null],
    ['', null],
    ['05/13/1990', null],
  ])('%s → %s', (typed, iso) => {
    expect(parseTypedDate(typed)).toBe(iso);
  });
});
