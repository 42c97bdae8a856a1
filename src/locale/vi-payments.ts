/** Fees and payments: the payment page, receipts, the day's takings, reconciliation. */
export const viPayments = {
  /** Amounts in words, as a receipt writes them ("Một trăm năm mươi nghìn đồng"). */
  words: {
    digits: ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'],
    hundred: 'trăm',
    ten: 'mười',
    tens: 'mươi',
    zeroTens: 'linh',
    /** 1 after a tens word of twenty or more: "hai mươi mốt". */
    oneAfterTens: 'mốt',
    /** 5 after any tens word: "mười lăm", "hai mươi lăm". */
    fiveAfterTens: 'lăm',
    /** Group names from the thousands up; after tỷ they repeat ("nghìn tỷ"). */
    scales: ['', 'nghìn', 'triệu', 'tỷ'],
    currency: 'đồng',
  },
  state: {
    due: 'Chưa nộp',
    pending: 'Chờ xác nhận',
    paid: 'Đã nộp',
    cancelled: 'Đã hủy',
    refunded: 'Đã hoàn phí',
  } as Record<string, string>,
  nothingDue: 'Không phải nộp',
  amountNotAssessed: 'lệ phí (chưa xác định số tiền)',
  /** The receipt's fee name: "Lệ phí đăng ký thường trú". */
  feeName: (procedure: string) =>
    `Lệ phí ${procedure.charAt(0).toLocaleLowerCase('vi') + procedure.slice(1)}`,
  method: {
    cash: 'Tiền mặt',
    transfer: 'Chuyển khoản (VietQR)',
    online: 'Thanh toán trực tuyến',
  } as Record<string, string>,
  eventKind: {
    created: 'Lập khoản thu',
    amount_set: 'Xác định số tiền',
    pending: 'Chờ xác nhận chuyển khoản',
    paid: 'Đã thu',
    cancelled: 'Hủy khoản thu',
    refunded: 'Hoàn phí',
    receipt_issued: 'Cấp biên lai',
    receipt_cancelled: 'Hủy biên lai',
  } as Record<string, string>,
  receiptState: { valid: 'Hợp lệ', cancelled: 'Đã hủy' } as Record<string, string>,
  /** Who issued a receipt that no officer issued (a confirmed transfer). */
  automatic: (provider: string) => `Tự động (xác nhận từ ${provider})`,
  illustrative: 'Tài khoản minh họa: không chuyển tiền thật vào tài khoản này.',
  illustrativeMark: 'MINH HỌA',
  noBeneficiary:
    'Cơ quan chưa khai báo tài khoản thụ hưởng nên chưa có mã VietQR. Quản trị khai báo tại trang cơ quan.',
  unknownFee:
    'Lệ phí của thủ tục này tính theo từng trường hợp: nhập số tiền phải nộp trước khi thu.',
  /** Headings a bank statement's columns may carry (compared without diacritics or case). */
  statementHeadings: {
    date: [
      'ngày giao dịch',
      'ngày gd',
      'ngày',
      'ngày hiệu lực',
      'ngày hạch toán',
      'transaction date',
      'date',
      'value date',
    ],
    credit: [
      'số tiền ghi có',
      'ghi có',
      'có',
      'phát sinh có',
      'số tiền có',
      'credit',
      'credit amount',
    ],
    debit: [
      'số tiền ghi nợ',
      'ghi nợ',
      'nợ',
      'phát sinh nợ',
      'số tiền nợ',
      'debit',
      'debit amount',
    ],
    amount: ['số tiền', 'amount'],
    description: [
      'nội dung',
      'nội dung giao dịch',
      'nội dung chi tiết',
      'diễn giải',
      'mô tả',
      'chi tiết giao dịch',
      'description',
      'details',
    ],
    reference: [
      'số tham chiếu',
      'mã tham chiếu',
      'mã giao dịch',
      'số giao dịch',
      'số bút toán',
      'reference',
      'ref',
      'transaction id',
    ],
  },
  errors: {
    amountInvalid: 'Số tiền không hợp lệ (số nguyên đồng, từ 0).',
    amountDiffers: (due: string) => `Số tiền thu phải đúng số phải nộp: ${due}.`,
    payerRequired: 'Nhập họ tên người nộp tiền.',
    reasonRequired: 'Nhập lý do.',
    basisRequired: 'Nhập căn cứ (biểu phí, giấy tờ chứng minh).',
    ruleInvalid: 'Đối tượng miễn, giảm không áp dụng cho thủ tục này.',
    methodInvalid: 'Hình thức nộp không hợp lệ.',
    notPayable: (state: string) => `Khoản thu đang ở trạng thái "${state}": không thu được.`,
    transition: (action: string, state: string) =>
      `Không thể "${action}" khi khoản thu đang ở trạng thái "${state}".`,
    stale: 'Khoản thu vừa được người khác thay đổi. Tải lại trang để xem trạng thái mới.',
    nothingToPay: 'Hồ sơ này không phải nộp lệ phí.',
    amountUnknown: 'Chưa xác định số tiền phải nộp.',
    noCode: 'Hồ sơ chưa được tiếp nhận (không có mã): không thu lệ phí.',
    receiptNotFound: 'Không tìm thấy biên lai.',
    receiptCancelled: 'Biên lai đã hủy trước đó.',
    returnRefused: (amount: string) =>
      `Chưa trả kết quả: cơ quan quy định phải nộp lệ phí trước khi nhận kết quả, hồ sơ còn phải nộp ${amount}. Mở trang "Thu lệ phí" của hồ sơ (phím T) để thu tiền mặt hoặc cho công dân quét mã VietQR, rồi trả kết quả.`,
    dateInvalid: 'Ngày không hợp lệ.',
    periodInvalid:
      'Khoảng thời gian không hợp lệ (tối đa 366 ngày, ngày kết thúc sau ngày bắt đầu).',
    officeInvalid: 'Đơn vị không hợp lệ.',
    binInvalid: 'Mã BIN ngân hàng gồm 6 chữ số (ví dụ 970415).',
    accountInvalid: 'Số tài khoản gồm chữ số và chữ cái không dấu, tối đa 19 ký tự.',
    accountNameInvalid: 'Tên tài khoản viết không dấu, chữ in hoa, tối đa 70 ký tự.',
    beneficiaryIncomplete:
      'Khai báo đủ cả mã BIN, số tài khoản và tên tài khoản (hoặc để trống cả ba).',
    seriesInvalid: 'Ký hiệu biên lai gồm chữ cái, chữ số, "/" hoặc "-", tối đa 12 ký tự.',
    statementFile: 'Chọn tệp sao kê (CSV hoặc XLSX).',
    statementHeadings:
      'Không tìm thấy dòng tiêu đề của sao kê: cần các cột ngày giao dịch, số tiền ghi có và nội dung.',
    statementUnreadable: 'Không đọc được tệp sao kê (tệp hỏng, quá lớn hoặc quá lâu).',
    reviewNotFound: 'Không tìm thấy mục cần đối soát.',
    alreadyResolved: 'Mục này đã được xử lý.',
  },
};
