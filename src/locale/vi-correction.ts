/**
 * Correcting a wrong intake (sửa hồ sơ tiếp nhận): the page, its messages, and how the
 * correction shows on the dossier page, the receipt and the tracking book.
 */
export const viCorrection = {
  action: 'Sửa hồ sơ tiếp nhận',
  title: (code: string) => `Sửa hồ sơ tiếp nhận ${code}`,
  intro:
    'Chỉ sửa được trong ngày tiếp nhận và trước khi chuyển hồ sơ đi. Sau khi lưu, ngày hẹn được tính lại theo thủ tục, mã tra cứu được cấp mới và giấy hẹn phải in lại.',
  procedure: 'Thủ tục',
  procedureLegend: 'Thủ tục và ngày hẹn',
  changeProcedure: 'Đổi thủ tục',
  procedureHint: 'Đổi thủ tục thì danh sách giấy tờ và ngày hẹn đổi theo.',
  sameDay: 'giải quyết ngay',
  workingDays: (n: number) => `${n} ngày làm việc`,
  copies: (n: number) => `${n} bản`,
  optional: 'nếu có',
  reason: 'Lý do sửa (bắt buộc)',
  reasonHint: 'Ví dụ: chọn nhầm thủ tục khi tiếp nhận; gõ sai ngày sinh.',
  saveLegend: 'Lưu điều chỉnh',
  save: 'Lưu điều chỉnh, in giấy hẹn mới',
  cancel: 'Quay lại hồ sơ',
  dueNow: (date: string) => `Ngày hẹn hiện tại: ${date}.`,
  dueWillBe: (date: string, days: number) =>
    `Ngày hẹn theo thủ tục này: ${date} (${days} ngày làm việc, tính từ lúc tiếp nhận).`,
  errors: {
    notReceiver: 'Chỉ cán bộ đã tiếp nhận hồ sơ hoặc lãnh đạo của đơn vị được sửa hồ sơ tiếp nhận.',
    dayOver:
      'Đã qua ngày tiếp nhận: không sửa được hồ sơ nữa. Nếu hồ sơ sai, hãy cho công dân rút hồ sơ, dừng hoặc từ chối giải quyết.',
    handedOn:
      'Hồ sơ đã chuyển khỏi bộ phận tiếp nhận: không sửa được hồ sơ nữa. Nếu hồ sơ sai, hãy cho công dân rút hồ sơ, dừng hoặc từ chối giải quyết.',
    reasonRequired: 'Nhập lý do sửa (ít nhất 10 ký tự).',
    nothingChanged: 'Không có thông tin nào thay đổi: chưa lưu gì.',
    notAccepted: 'Chỉ sửa được hồ sơ đã tiếp nhận.',
  },
  /** Field names as the timeline and the event's before/after list show them. */
  field: {
    procedure: 'Thủ tục',
    applicant_name: 'Họ và tên',
    personal_id: 'Số định danh',
    birth_date: 'Ngày sinh',
    sex: 'Giới tính',
    phone: 'Điện thoại',
    email: 'Thư điện tử',
    address: 'Địa chỉ',
    vehicle_kind: 'Loại xe',
    vehicle_id: 'Biển số',
    vehicle_frame_no: 'Số khung',
    vehicle_engine_no: 'Số máy',
    vehicle_brand: 'Nhãn hiệu',
    vehicle_colour: 'Màu sơn',
    documents: 'Giấy tờ đã nhận',
    due_on: 'Ngày hẹn trả',
  } as Record<string, string>,
  /** The dossier page's notice after a correction, until the new receipt is printed. */
  corrected: (at: string) => `Hồ sơ đã được sửa lúc ${at}.`,
  dueMoved: (before: string, after: string, why: string) =>
    `Ngày hẹn trả đổi từ ${before} sang ${after} vì ${why}.`,
  dueKept: (date: string, why: string) => `Ngày hẹn trả giữ nguyên ${date}: ${why}.`,
  procedureWhy: (before: string, beforeDays: number, after: string, afterDays: number) =>
    `thủ tục đổi từ "${before}" (${beforeDays} ngày làm việc) sang "${after}" (${afterDays} ngày làm việc); thời hạn vẫn tính từ lúc tiếp nhận`,
  linkHint: 'Chỉ trong ngày tiếp nhận, trước khi chuyển hồ sơ đi.',
  printNewHint:
    'Giấy hẹn cũ và mã tra cứu cũ không còn dùng được: công dân giữ giấy hẹn in sau khi sửa.',
  /** The receipt printed after a correction. */
  reprintMark: (at: string) => `Bản in lại sau điều chỉnh hồ sơ lúc ${at}`,
  /** The tracking book's note (Ghi chú) of a corrected dossier. */
  bookNote: (at: string) => `Đã sửa hồ sơ tiếp nhận lúc ${at}`,
};
