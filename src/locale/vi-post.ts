/**
 * Results returned by post (dịch vụ bưu chính công ích): the dispatch, the delivery, the postal
 * provider's callback, and the channels report.
 */
export const viPost = {
  fields: {
    post_tracking_code: 'Mã bưu gửi (số hiệu bưu gửi, ví dụ EB123456785VN)',
    post_address: 'Địa chỉ nhận kết quả',
    delivered_on: 'Ngày bưu điện phát cho công dân',
  } as Record<string, string>,
  errors: {
    trackingRequired: 'Nhập mã bưu gửi in trên phiếu gửi của bưu điện.',
    trackingFormat:
      'Mã bưu gửi gồm 2 chữ cái, 9 chữ số và 2 chữ cái (ví dụ EB123456785VN); kiểm tra lại phiếu gửi.',
    trackingCheckDigit:
      'Mã bưu gửi không đúng (chữ số kiểm tra không khớp); có thể gõ nhầm, kiểm tra lại phiếu gửi.',
    trackingTaken: 'Mã bưu gửi này đã ghi cho một hồ sơ khác.',
    trackingUnknown: 'Không có hồ sơ nào gửi kết quả với mã bưu gửi này.',
    addressRequired: 'Nhập địa chỉ nhận kết quả (ít nhất 10 ký tự).',
    deliveredOnRequired: 'Nhập ngày bưu điện phát cho công dân.',
    deliveredOnInvalid:
      'Ngày phát không hợp lệ: nhập ngày/tháng/năm, không trước ngày gửi và không sau hôm nay.',
    deliveredAtInvalid:
      'Thời điểm phát không hợp lệ: dùng ISO 8601 có múi giờ, không trước lúc gửi và không ở tương lai.',
    notPostChannel: 'Công dân không chọn nhận kết quả qua bưu chính.',
    alreadyDispatched: 'Kết quả đã gửi qua bưu chính; chờ bưu điện phát.',
    notDispatched: 'Kết quả chưa gửi qua bưu chính.',
    postalTokenRequired: 'Chỉ khóa API của bưu chính (phạm vi postal) được báo đã phát.',
    bodyInvalid: 'Nội dung phải là một đối tượng JSON.',
  },
  /** The dossier page's and the lookup page's lines on the dispatch. */
  page: {
    title: 'Trả kết quả qua bưu chính',
    trackingCode: 'Mã bưu gửi',
    address: 'Địa chỉ nhận',
    dispatchedAt: 'Gửi lúc',
    deliveredOn: 'Bưu điện đã phát ngày',
    inTransit: 'Đang chuyển phát',
  },
  lookup: {
    inTransit: 'Đã có kết quả, đang chuyển qua bưu chính',
    sent: (code: string, date: string) =>
      `Kết quả đã gửi qua bưu chính ngày ${date}, mã bưu gửi ${code}.`,
    delivered: (date: string) => `Bưu điện đã phát kết quả ngày ${date}.`,
    trackingCode: 'Mã bưu gửi',
  },
  timeline: {
    sent: (code: string) => `Mã bưu gửi ${code}`,
    delivered: (date: string) => `Bưu điện phát ngày ${date}`,
  },
  book: {
    sent: (code: string) => `Gửi bưu chính, mã ${code}`,
    delivered: (date: string) => `phát ngày ${date}`,
  },
  /** The message telling the citizen the result is on its way. */
  message: {
    kind: 'Đã gửi kết quả qua bưu chính',
    subject: 'Hồ sơ {ma_ho_so}: kết quả đã gửi qua bưu chính',
    body: '{co_quan}: kết quả hồ sơ {ma_ho_so} đã gửi qua bưu chính, mã bưu gửi {ma_buu_gui}. Bưu điện sẽ phát đến địa chỉ Ông/Bà đã đăng ký.',
    placeholder: 'mã bưu gửi',
  },
  report: {
    title: 'Kênh tiếp nhận, trả kết quả và đồng bộ Cổng dịch vụ công',
    note: 'Hồ sơ tiếp nhận trong kỳ theo kênh nộp và kênh nhận kết quả. Độ trễ đồng bộ: từ lúc ghi thay đổi đến lúc Cổng dịch vụ công quốc gia nhận, của các thay đổi ghi trong kỳ; trung vị và phân vị 90 của các thay đổi đã gửi. Tệp xuất ghi độ trễ bằng giây.',
    byReceiving: 'Theo kênh tiếp nhận',
    byReturn: 'Theo kênh trả kết quả',
    syncLag: 'Độ trễ đồng bộ theo đơn vị',
    office: 'Đơn vị',
    counter: 'Trực tiếp',
    online: 'Trực tuyến',
    post: 'Bưu chính',
    total: 'Tổng',
    onlineShare: 'Tỷ lệ trực tuyến',
    returnCounter: 'Tại bộ phận một cửa',
    returnPost: 'Qua bưu chính',
    returnOnline: 'Trực tuyến',
    changes: 'Thay đổi ghi',
    sent: 'Đã gửi',
    medianSeconds: 'Độ trễ trung vị',
    p90Seconds: 'Độ trễ phân vị 90',
    failing: 'Hồ sơ đang lỗi đồng bộ',
    unsent: 'Chưa gửi',
  },
};
