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
};
