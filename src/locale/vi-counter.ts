/** Strings of the counter's working day (issue 28): plates, names, roles, corrections, sessions. */
export const viCounter = {
  plates: {
    kindPlate: { car: 'ô tô', motorbike: 'mô tô, xe gắn máy', e_bike: 'xe máy điện' } as Record<
      string,
      string
    >,
    ofOtherKind: (typed: string, plateKind: string, chosen: string) =>
      `Biển số ${typed} là biển số ${plateKind}, không khớp loại xe ${chosen} đã chọn: kiểm tra lại biển số hoặc loại xe.`,
    column: 'Biển số',
  },
  duties: {
    counter: 'Cán bộ tiếp nhận',
    processor: 'Cán bộ xử lý',
    counterAndProcessor: 'Cán bộ tiếp nhận, xử lý',
    approver: 'Lãnh đạo đơn vị (phê duyệt)',
    officer: 'Cán bộ',
    counterDutyLabel: 'Làm nhiệm vụ tiếp nhận và trả kết quả tại bộ phận một cửa',
    counterDutyHint:
      'Chỉ cán bộ có nhiệm vụ này mới tiếp nhận hồ sơ, in lại giấy hẹn và làm các thao tác của bộ phận một cửa.',
    supervisorActsLabel: 'Cho phép lãnh đạo được thao tác thay đơn vị xử lý',
    supervisorActsHint:
      'Lãnh đạo nhận, chuyển, phê duyệt thay cán bộ của đơn vị xử lý; bước giải quyết ghi rõ là làm thay.',
  },
  dates: {
    notInCalendar: (typed: string) =>
      `Ngày ${typed} không có trong lịch (tháng đó không có ngày này): nhập lại ngày/tháng/năm.`,
  },
  signer: {
    headTitle: 'Chức danh thủ trưởng cơ quan giải quyết',
    headTitleHint:
      'In trên các văn bản thủ trưởng ký (Mẫu 03, Mẫu 04, báo cáo), ví dụ TRƯỞNG PHÒNG.',
    headName: 'Họ tên thủ trưởng',
    deputyTitle: 'Chức danh người ký thay (nếu có)',
    deputyTitleHint: 'Điền khi cấp phó ký thay: văn bản in "KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG".',
    deputyName: 'Họ tên người ký thay',
    deputyIncomplete: 'Ghi cả chức danh và họ tên người ký thay, hoặc để trống cả hai.',
    headIncomplete: 'Người ký thay cần chức danh của thủ trưởng (ví dụ TRƯỞNG PHÒNG).',
    onBehalf: 'KT.',
    fallback: 'THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT HỒ SƠ',
  },
  session: {
    expired:
      'Phiên đăng nhập đã hết hạn. Đăng nhập lại để gửi tiếp biểu mẫu: các thông tin đã nhập được giữ nguyên.',
    resumeTitle: 'Gửi tiếp biểu mẫu đã nhập',
    resumeIntro:
      'Bạn đã đăng nhập lại. Biểu mẫu đã nhập trước khi phiên hết hạn chưa được gửi: bấm nút dưới đây để gửi với đúng các thông tin đã nhập.',
    resumeSubmit: 'Gửi biểu mẫu',
    resumeSkip: 'Bỏ qua, không gửi',
  },
};
