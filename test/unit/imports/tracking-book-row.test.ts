import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../src/calendar/working-days.js';
import {
  checkImportRow,
  matchHeadings,
  parseInstant,
  type CellValue,
  type ImportField,
  type RowRules,
} from '../../../src/imports/tracking-book-row.js';
import { CALENDAR } from '../../../seeds/calendar.js';

const rules: RowRules = {
  procedures: new Map([
    [
      '2.000200',
      {
        id: 1,
        code: '2.000200',
        name: 'Cấp thẻ căn cước',
        report_group: 'id_card',
        processing_days: 7,
      },
    ],
    [
      '1.004194',
      {
        id: 2,
        code: '1.004194',
        name: 'Đăng ký tạm trú',
        report_group: 'residence',
        processing_days: 7,
      },
    ],
  ]),
  calendar: new WorkingCalendar(CALENDAR),
  dueRules: { closingTime: '17:00', sameDayCutoffTime: '15:00' },
  now: new Date('2026-03-20T02:00:00Z'),
  openingTime: '07:30',
  officeId: 1,
};

const good: Partial<Record<ImportField, CellValue>> = {
  procedure_code: '2.000200',
  applicant_name: 'Trần Thị Bình',
  personal_id: '035190001234',
  phone: '0912345678',
  address: 'Thôn 1, xã Nhân Thịnh',
  received_at: '09/03/2026 08:15',
};

function errorsOf(values: Partial<Record<ImportField, CellValue>>): string[] {
  const r = checkImportRow({ ...good, ...values }, rules);
  return r.ok ? [] : r.errors;
}

describe('parseInstant', () => {
  it('reads the ways dates are written, in Vietnam time', () => {
    expect(parseInstant('09/03/2026 08:15', '07:30')).toEqual({
      iso: '2026-03-09T01:15:00.000Z',
      on: '2026-03-09',
      dateOnly: false,
    });
    expect(parseInstant('08:15 09/03/2026', '07:30')).toEqual({
      iso: '2026-03-09T01:15:00.000Z',
      on: '2026-03-09',
      dateOnly: false,
    });
    expect(parseInstant('9/3/2026', '07:30')).toEqual({
      iso: '2026-03-09T00:30:00.000Z',
      on: '2026-03-09',
      dateOnly: true,
    });
    expect(parseInstant('2026-03-09', '17:00')).toEqual({
      iso: '2026-03-09T10:00:00.000Z',
      on: '2026-03-09',
      dateOnly: true,
    });
    expect(parseInstant('2026-03-09T23:59:59', '07:30')).toMatchObject({
      iso: '2026-03-09T16:59:59.000Z',
      on: '2026-03-09',
    });
    expect(parseInstant('2026-03-09T16:59:59Z', '07:30')).toMatchObject({
      iso: '2026-03-09T16:59:59.000Z',
      on: '2026-03-09',
    });
    // An XLSX date cell: the wall-clock fields stored as UTC.
    expect(parseInstant(new Date('2026-03-09T23:59:59Z'), '07:30')).toMatchObject({
      iso: '2026-03-09T16:59:59.000Z',
      on: '2026-03-09',
    });
    // An Excel serial day number (46090 = 09/03/2026) and with a time (0.5 = noon).
    expect(parseInstant(46090, '07:30')).toMatchObject({ on: '2026-03-09', dateOnly: true });
    expect(parseInstant(46090.5, '07:30')).toMatchObject({
      iso: '2026-03-09T05:00:00.000Z',
      dateOnly: false,
    });
  });

  it('rejects what is not a date', () => {
    for (const bad of [
      '31/02/2026',
      '2026-13-01',
      '12/03/26',
      'hôm qua',
      '25:00 09/03/2026',
      '09/03/2026 10:61',
      '1e9',
    ]) {
      expect(parseInstant(bad, '07:30'), bad).toBe('invalid');
    }
    expect(parseInstant(null, '07:30')).toBeNull();
    expect(parseInstant('  ', '07:30')).toBeNull();
  });
});

describe('matchHeadings', () => {
  it('finds our export heading row, diacritics and case aside, and skips other rows', () => {
    expect(matchHeadings(['Sổ theo dõi hồ sơ'])).toBeNull();
    const columns = matchHeadings([
      'STT',
      'Mã hồ sơ',
      'MÃ THỦ TỤC',
      'Tên thủ tục',
      'Người nộp',
      'Ngày nhận',
      'Kết quả',
      'Ngày có kết quả',
    ])!;
    expect(columns.get('code')).toBe(1);
    expect(columns.get('procedure_code')).toBe(2);
    expect(columns.get('outcome')).toBe(6);
    expect(columns.get('result_at')).toBe(7);
  });
});

describe('checkImportRow', () => {
  it('computes the appointment with the calendar and the outcome from the dates', () => {
    const r = checkImportRow(
      {
        ...good,
        result_at: '17/03/2026',
        returned_at: '18/03/2026 09:00',
        status: 'Đã trả kết quả',
      },
      rules,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 7 working days after Mon 09/03: Wed 18/03, due at closing time.
    expect(r.dossier.dueOn).toBe('2026-03-18');
    expect(r.dossier.dueAt).toBe('2026-03-18T10:00:00.000Z');
    expect(r.dossier.outcome).toBe('early');
    expect(r.dossier.status).toBe('returned');
    expect(r.dossier.closedAt).toBe('2026-03-18T02:00:00.000Z');
    expect(r.dossier.code).toBeNull();
  });

  it('derives the status from the dates when the file has none, and accepts an old 9-digit CMND', () => {
    const r = checkImportRow({ ...good, personal_id: '168123456', result_at: '19/03/2026' }, rules);
    expect(r.ok && r.dossier.status).toBe('result_ready');
    expect(r.ok && r.dossier.outcome).toBe('late');
  });

  it('keeps a rescheduled dossier late, as the workflow does', () => {
    const r = checkImportRow(
      {
        ...good,
        due_at: '18/03/2026',
        rescheduled_due_at: '20/03/2026',
        result_at: '18/03/2026',
        status: 'result_ready',
      },
      rules,
    );
    expect(r.ok && r.dossier.outcome).toBe('late');
  });

  it('names every problem of a row, in Vietnamese', () => {
    expect(errorsOf({ procedure_code: '9.999999' })).toEqual([
      'Mã thủ tục "9.999999" không có trong danh mục thủ tục.',
    ]);
    expect(errorsOf({ personal_id: '035' })).toEqual([
      'Số định danh phải gồm 12 chữ số (hoặc 9 chữ số của CMND cũ).',
    ]);
    expect(errorsOf({ personal_id: '999190001234' })[0]).toMatch(/mã tỉnh/);
    expect(errorsOf({ phone: '12345' })[0]).toMatch(/điện thoại/);
    expect(errorsOf({ applicant_name: 'Nguyễn <script>' })[0]).toMatch(/Họ tên/);
    expect(errorsOf({ received_at: '' })).toContain('Thiếu ngày nhận hồ sơ.');
    expect(errorsOf({ received_at: '30/02/2026' })[0]).toMatch(/không phải ngày hợp lệ/);
    expect(errorsOf({ received_at: '01/01/2027' })).toEqual(['"Ngày nhận" nằm trong tương lai.']);
    expect(errorsOf({ result_at: '05/03/2026' })).toContain('Ngày có kết quả trước ngày nhận.');
    expect(
      errorsOf({ result_at: '12/03/2026', returned_at: '11/03/2026', status: 'returned' }),
    ).toContain('Ngày trả trước ngày có kết quả.');
    expect(
      errorsOf({ returned_at: '01/03/2026', result_at: '10/03/2026', status: 'returned' }),
    ).toContain('Ngày trả trước ngày nhận.');
    expect(errorsOf({ due_at: '01/03/2026' })).toContain('Ngày hẹn trả trước ngày nhận.');
    expect(errorsOf({ status: 'Đang giải quyết', result_at: '12/03/2026' })[0]).toMatch(
      /nhưng đã có ngày có kết quả/,
    );
    expect(errorsOf({ status: 'Đã trả kết quả', result_at: '12/03/2026' })).toContain(
      'Trạng thái "đã trả kết quả" cần ngày trả.',
    );
    expect(errorsOf({ status: 'Từ chối giải quyết' })[0]).toMatch(/cần ngày kết thúc/);
    expect(
      errorsOf({ status: 'Từ chối giải quyết', closed_at: '12/03/2026', result_at: '11/03/2026' }),
    ).toEqual([
      'Trạng thái "Từ chối giải quyết" không được có ngày có kết quả (hồ sơ kết thúc mà không có kết quả).',
    ]);
    expect(errorsOf({ status: 'lạ' })).toEqual(['Trạng thái "lạ" không rõ nghĩa.']);
    expect(errorsOf({ status: 'guided' })[0]).toMatch(/chưa được tiếp nhận/);
    expect(errorsOf({ result_at: '12/03/2026', outcome: 'Quá hạn' })[0]).toBe(
      'Kết quả ghi "Quá hạn" nhưng theo ngày có kết quả và ngày hẹn là "Trước hạn".',
    );
    expect(errorsOf({ outcome: 'Đúng hạn' })).toEqual([
      'Có ghi kết quả nhưng thiếu ngày có kết quả.',
    ]);
    expect(errorsOf({ note: 'a\u0001b' })[0]).toMatch(/ký tự điều khiển/);
    expect(errorsOf({ address: 'Thôn \uFFFD' })[0]).toMatch(/UTF-8/);
    expect(errorsOf({ code: 'có dấu cách' })[0]).toMatch(/Mã hồ sơ chỉ gồm/);
    // Several problems at once are all listed.
    expect(
      errorsOf({ procedure_code: '', applicant_name: '', personal_id: '', address: '' }),
    ).toHaveLength(4);
  });

  it('gives the same row the same import key, and a different row another', () => {
    const a = checkImportRow(good, rules);
    const b = checkImportRow({ ...good, note: 'ghi chú khác' }, rules);
    const c = checkImportRow({ ...good, received_at: '09/03/2026 08:16' }, rules);
    expect(a.ok && b.ok && a.dossier.importKey === b.dossier.importKey).toBe(true);
    expect(a.ok && c.ok && a.dossier.importKey !== c.dossier.importKey).toBe(true);
  });
});
