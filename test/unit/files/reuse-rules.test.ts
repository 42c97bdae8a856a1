import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  kindOf,
  kindOfResult,
  mayReuse,
  reusableUntil,
} from '../../../src/files/reuse-rules.js';

describe('the kind of a component, from its document’s name', () => {
  it.each([
    ['Tờ khai thay đổi thông tin cư trú (mẫu CT01)', 'form'],
    ['Phiếu thu nhận thông tin căn cước (mẫu CC01)', 'form'],
    ['Ý kiến đồng ý của chủ hộ / chủ sở hữu chỗ ở hợp pháp (ghi vào CT01 hoặc văn bản)', 'form'],
    ['Văn bản đề nghị cấp Giấy chứng nhận đủ điều kiện về ANTT', 'form'],
    ['Giấy khai đăng ký xe', 'form'],
    ['Thẻ căn cước / CCCD gắn chíp', 'id_card'],
    ['Căn cước / tài khoản định danh điện tử mức 2 của chủ xe', 'id_card'],
    ['Chứng minh nhân dân 9 số (nếu còn)', 'id_card'],
    ['Ảnh chân dung 4x6', 'photo'],
    [
      'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (trừ trường hợp đã có trong cơ sở dữ liệu)',
      'residence_proof',
    ],
    ['Bản sao Giấy chứng nhận đăng ký doanh nghiệp / hộ kinh doanh', 'business_registration'],
    ['Chứng nhận đăng ký xe cũ (nộp lại)', 'vehicle_papers'],
    ['Giấy tờ về phòng cháy, chữa cháy', 'fire_safety'],
    ['Giấy chứng nhận đủ điều kiện về ANTT đã cấp (trường hợp cấp đổi)', 'security_certificate'],
    ['Giấy khai sinh', 'civil_status'],
    ['Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú', 'other'],
  ])('%s → %s', (name, kind) => {
    expect(kindOf(name)).toBe(kind);
  });

  it('reads a result’s kind from its report group', () => {
    expect(kindOfResult('can_cuoc')).toBe('id_card');
    expect(kindOfResult('mo_to')).toBe('vehicle_papers');
    expect(kindOfResult('antt')).toBe('security_certificate');
    expect(kindOfResult('cu_tru')).toBe('other');
  });
});

describe('whether a digitised paper may stand in for a component today', () => {
  const proof = 'Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê, mượn không cần công chứng)';
  const source = (over: Partial<Parameters<typeof mayReuse>[1]> = {}) => ({
    name: 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp',
    kind: 'residence_proof' as const,
    digitisedOn: '2026-01-31',
    recordedValidUntil: null,
    ...over,
  });

  it('takes the same kind while valid: six months for a lease, or the expiry recorded', () => {
    expect(mayReuse(proof, source(), '2026-07-31')).toBe(true);
    expect(mayReuse(proof, source(), '2026-08-01')).toBe(false);
    expect(mayReuse(proof, source({ recordedValidUntil: '2027-12-31' }), '2027-12-31')).toBe(true);
    expect(reusableUntil(source())).toBe('2026-07-31');
  });

  it('never reuses a request form, nor a paper of another kind', () => {
    expect(
      mayReuse(
        'Tờ khai thay đổi thông tin cư trú (mẫu CT01)',
        source({ name: 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)', kind: 'form' }),
        '2026-02-01',
      ),
    ).toBe(false);
    expect(mayReuse('Thẻ căn cước / CCCD gắn chíp', source(), '2026-02-01')).toBe(false);
  });

  it('reuses a paper of kind "other" only for a document of the same name (diacritics aside)', () => {
    const name = 'Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú';
    const other = source({ name, kind: 'other' });
    expect(
      mayReuse('giay to chung minh thuoc truong hop xoa dang ky tam tru', other, '2026-03-01'),
    ).toBe(true);
    expect(mayReuse('Giấy tờ chứng minh việc điều chỉnh thông tin', other, '2026-03-01')).toBe(
      false,
    );
  });

  it('lets a civil-status paper and a result card (with its expiry) last', () => {
    expect(
      mayReuse(
        'Giấy khai sinh',
        source({ name: 'Bản sao giấy khai sinh', kind: 'civil_status' }),
        '2040-01-01',
      ),
    ).toBe(true);
    expect(
      mayReuse(
        'Thẻ căn cước / CCCD gắn chíp',
        source({ name: null, kind: 'id_card', recordedValidUntil: '2035-05-01' }),
        '2035-05-01',
      ),
    ).toBe(true);
    expect(
      mayReuse(
        'Thẻ căn cước / CCCD gắn chíp',
        source({ name: null, kind: 'id_card' }),
        '2027-02-01',
      ),
    ).toBe(false);
  });
});

describe('addMonths', () => {
  it('clamps to the month’s last day', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-15', 12)).toBe('2027-01-15');
  });

  it('never goes back, and adding months one at a time never passes adding them at once', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 120 }),
        (d, months) => {
          const day = d.toISOString().slice(0, 10);
          const later = addMonths(day, months);
          expect(later >= day).toBe(true);
          let stepwise = day;
          for (let i = 0; i < Math.min(months, 24); i++) stepwise = addMonths(stepwise, 1);
          expect(stepwise <= addMonths(day, Math.min(months, 24))).toBe(true);
        },
      ),
    );
  });
});
