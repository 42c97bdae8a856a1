/**
 * What the national portal is told of a dossier (docs/DOMAIN.md "The national portal"): the
 * national status of each change, and the dossier record (DongBoHoSoMC) and progress record
 * (CapNhatTienDoHoSoMC) as the portal's adapters take them. Pure.
 */

/** TrangThaiHoSo codes of the national portal. */
export const NATIONAL = {
  received: '2',
  notReceived: '3',
  processing: '4',
  supplement: '5',
  withdrawn: '7',
  stopped: '8',
  done: '9',
  returned: '10',
} as const;

/**
 * The national status each change of a dossier reports. A change not listed (a guided or refused
 * intake, which never had a code) is not sent. A refusal after receipt is a settled dossier (9,
 * with the refusal as its result); a late dossier with a new date is still in progress (4).
 */
const BY_CHANGE: Record<string, string> = {
  received: NATIONAL.received,
  // A corrected intake is still received: the portal gets the corrected record (procedure, date).
  correct_intake: NATIONAL.received,
  start_processing: NATIONAL.processing,
  receive_supplement: NATIONAL.processing,
  hand_over: NATIONAL.processing,
  claim: NATIONAL.processing,
  return_for_rework: NATIONAL.processing,
  approve: NATIONAL.processing,
  reschedule: NATIONAL.processing,
  request_supplement: NATIONAL.supplement,
  mark_result_ready: NATIONAL.done,
  refuse: NATIONAL.done,
  return_result: NATIONAL.returned,
  // By post: still "settled" while the post carries it; returned when the post delivers it.
  dispatch_by_post: NATIONAL.done,
  post_delivered: NATIONAL.returned,
  stop: NATIONAL.stopped,
  withdraw: NATIONAL.withdrawn,
  online_supplement: NATIONAL.supplement,
  online_refused: NATIONAL.notReceived,
};

export function nationalStatusOf(change: string): string | null {
  return BY_CHANGE[change] ?? null;
}

/** A payment changes no status: the portal hears the dossier's current one with the fee paid. */
export const FEE_PAID = 'fee_paid';

const BY_STATUS: Record<string, string> = {
  received: NATIONAL.received,
  processing: NATIONAL.processing,
  supplement_requested: NATIONAL.supplement,
  result_ready: NATIONAL.done,
  refused: NATIONAL.done,
  returned: NATIONAL.returned,
  withdrawn: NATIONAL.withdrawn,
  stopped: NATIONAL.stopped,
};

/** The national status of a dossier in this local status (a payment's change reports it). */
export function nationalStatusOfDossier(status: string): string | null {
  return BY_STATUS[status] ?? null;
}

/** yyyyMMddHHmmss in Vietnam's time (UTC+7), the portal's date format; '' for none. */
export function portalDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const local = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return local.slice(0, 19).replace(/[-T:]/g, '');
}

/** KenhThucHien: 1 at the counter, 2 online, 3 by post. */
const CHANNEL: Record<string, string> = { counter: '1', online: '2', post: '3' };

export interface PortalFacts {
  maHoSo: string;
  procedureCode: string;
  procedureName: string;
  receivingChannel: string;
  returnChannel: string;
  applicantName: string;
  personalId: string | null;
  phone: string | null;
  officeName: string;
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  resultAt: string | null;
  returnedAt: string | null;
  refusedAt: string | null;
  refusalReason: string | null;
  /** Fees paid for the dossier (DanhSachLePhi); none before any payment. */
  paidFees?: { name: string; amount: number }[];
}

/** The dossier record (DongBoHoSoMC item), fixed at the change. */
export function portalRecord(f: PortalFacts, status: string): Record<string, unknown> {
  const paid = (f.paidFees ?? []).filter((fee) => fee.amount > 0);
  return {
    MaHoSo: f.maHoSo,
    MaTTHC: f.procedureCode,
    TenTTHC: f.procedureName,
    KenhThucHien: CHANNEL[f.receivingChannel] ?? '1',
    ChuHoSo: f.applicantName,
    SoGiayToChuHoSo: f.personalId ?? '',
    SoDienThoai: f.phone ?? '',
    LoaiDoiTuong: '1',
    DonViXuLy: f.officeName,
    NgayNopHoSo: portalDate(f.submittedAt ?? f.receivedAt),
    NgayTiepNhan: portalDate(f.receivedAt),
    NgayHenTra: portalDate(f.dueAt),
    NgayKetThucXuLy: portalDate(f.resultAt),
    NgayTra: portalDate(f.returnedAt),
    NgayTuChoi: portalDate(f.refusedAt),
    LyDoTuChoi: f.refusalReason ?? '',
    TrangThaiHoSo: status,
    HinhThuc: f.returnChannel === 'post' ? '1' : '0',
    // "1" once a fee with an amount is paid, whatever the method (as the public systems code it).
    DuocThanhToanTrucTuyen: paid.length > 0 ? '1' : '0',
    DanhSachLePhi: paid.map((fee) => ({
      TenPhiLePhi: fee.name,
      MaPhiLePhi: '1',
      HinhThucThu: '1',
      Gia: String(fee.amount),
      LoaiPhiLePhi: '1',
    })),
  };
}

/** The progress record (CapNhatTienDoHoSoMC item) of one change. */
export function portalProgress(
  f: Pick<PortalFacts, 'maHoSo' | 'officeName' | 'dueAt'>,
  change: { at: string; actorName: string; label: string; status: string },
): Record<string, string> {
  return {
    MaHoSo: f.maHoSo,
    NguoiXuLy: change.actorName.slice(0, 50),
    ThoiDiemXuLy: portalDate(change.at),
    PhongBanXuLy: f.officeName,
    NoiDungXuLy: change.label,
    TrangThai: change.status,
    NgayKetThucTheoQuyDinh: portalDate(f.dueAt),
  };
}
