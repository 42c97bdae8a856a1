import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../../src/dossiers/actions/action-table.js';
import {
  nationalStatusOf,
  portalDate,
  portalProgress,
  portalRecord,
  type PortalFacts,
} from '../../../src/online/portal-status.js';
import { backoffMs } from '../../../src/online/sync-sender.js';

const facts: PortalFacts = {
  maHoSo: 'G22.99-260310-0001',
  procedureCode: '2.000200',
  procedureName: 'Cấp thẻ căn cước',
  receivingChannel: 'online',
  returnChannel: 'post',
  applicantName: 'Nguyễn Văn An',
  personalId: '035090001234',
  phone: null,
  officeName: 'Công an tỉnh Hà Nam',
  submittedAt: '2026-03-09T13:15:00.000Z',
  receivedAt: '2026-03-10T02:00:00.000Z',
  dueAt: '2026-03-19T10:00:00.000Z',
  resultAt: null,
  returnedAt: null,
  refusedAt: null,
  refusalReason: null,
};

describe('what the national portal is told', () => {
  it('has a national status for every action of the table, and for receipt', () => {
    for (const action of [...ACTION_NAMES, 'received'])
      expect(nationalStatusOf(action), action).toMatch(/^(2|4|5|7|8|9|10)$/);
    expect(nationalStatusOf('not_accepted')).toBeNull();
    expect(nationalStatusOf('online_refused')).toBe('3');
  });

  it('writes dates in Vietnam time as yyyyMMddHHmmss', () => {
    expect(portalDate('2026-03-09T17:30:05.000Z')).toBe('20260310003005');
    expect(portalDate(null)).toBe('');
  });

  it('fills the dossier and progress records from the facts', () => {
    expect(portalRecord(facts, '2')).toMatchObject({
      MaHoSo: 'G22.99-260310-0001',
      KenhThucHien: '2',
      HinhThuc: '1',
      NgayNopHoSo: '20260309201500',
      NgayTiepNhan: '20260310090000',
      NgayHenTra: '20260319170000',
      NgayTra: '',
      SoDienThoai: '',
      TrangThaiHoSo: '2',
    });
    const progress = portalProgress(facts, {
      at: '2026-03-10T02:00:00.000Z',
      actorName: 'x'.repeat(80),
      label: 'Tiếp nhận hồ sơ',
      status: '2',
    });
    expect(progress.NguoiXuLy).toHaveLength(50);
    expect(progress).toMatchObject({ ThoiDiemXuLy: '20260310090000', TrangThai: '2' });
  });

  it('waits longer after each failure, never beyond the maximum', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 100, max: 86_400_000 }), (n, max) => {
        expect(backoffMs(n, max)).toBeLessThanOrEqual(max);
        expect(backoffMs(n + 1, max)).toBeGreaterThanOrEqual(backoffMs(n, max));
      }),
    );
    expect(backoffMs(0, 1_800_000)).toBe(5000);
  });
});
