/** Messages to citizens (SMS, Zalo, e-mail) and their pages. Templates use {placeholders}. */
export const viNotify = {
  channel: { sms: 'SMS', zalo: 'Zalo', email: 'Thư điện tử', log: 'Nhật ký (chưa cấu hình kênh gửi)' } as Record<string, string>,
  state: {
    queued: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', delivered: 'Đã đến máy người nhận',
    failed_temporary: 'Gửi lỗi, sẽ thử lại', failed_permanent: 'Không gửi được', cancelled: 'Đã hủy',
  } as Record<string, string>,
  kind: {
    receipt: 'Tiếp nhận hồ sơ', supplement: 'Yêu cầu bổ sung', rescheduled: 'Xin lỗi, hẹn lại', due_moved: 'Đổi ngày hẹn',
    result_ready: 'Có kết quả', reminder: 'Nhắc lịch hẹn', returned: 'Đã trả kết quả', queue_near: 'Sắp đến lượt',
  } as Record<string, string>,
  defaults: {
    receipt: { subject: 'Đã tiếp nhận hồ sơ {ma_ho_so}', body: '{co_quan}: đã tiếp nhận hồ sơ {ma_ho_so} ({thu_tuc}). Hẹn trả kết quả {ngay_hen}. Tra cứu: {lien_ket}' },
    supplement: { subject: 'Hồ sơ {ma_ho_so} cần bổ sung', body: '{co_quan}: hồ sơ {ma_ho_so} cần bổ sung: {giay_to}. Lý do: {ly_do}. Mời Ông/Bà mang đến bộ phận một cửa.' },
    rescheduled: { subject: 'Xin lỗi và hẹn lại ngày trả hồ sơ {ma_ho_so}', body: '{co_quan} xin lỗi: hồ sơ {ma_ho_so} chưa có kết quả đúng hẹn ({ly_do}). Ngày hẹn mới: {ngay_hen}.' },
    due_moved: { subject: 'Ngày hẹn mới của hồ sơ {ma_ho_so}', body: '{co_quan}: đã nhận giấy tờ bổ sung của hồ sơ {ma_ho_so}. Ngày hẹn trả kết quả mới: {ngay_hen}.' },
    result_ready: { subject: 'Hồ sơ {ma_ho_so} đã có kết quả', body: '{co_quan}: hồ sơ {ma_ho_so} đã có kết quả. Khi đến nhận, mang theo giấy hẹn và thẻ căn cước.' },
    reminder: { subject: 'Nhắc lịch hẹn hồ sơ {ma_ho_so}', body: '{co_quan}: nhắc lịch hẹn trả kết quả hồ sơ {ma_ho_so} vào {ngay_hen}.' },
    returned: { subject: 'Hồ sơ {ma_ho_so} đã trả kết quả', body: '{co_quan}: hồ sơ {ma_ho_so} đã trả kết quả. Mời Ông/Bà đánh giá mức độ hài lòng: {lien_ket}' },
    queue_near: { subject: 'Sắp đến lượt số {so_thu_tu}', body: '{co_quan}: sắp đến lượt số {so_thu_tu}, còn {con_truoc} người phía trước. Theo dõi: {lien_ket}' },
  } as Record<string, { subject: string; body: string }>,
  placeholders: {
    ma_ho_so: 'mã hồ sơ', thu_tuc: 'tên thủ tục', co_quan: 'tên ngắn của cơ quan', ngay_hen: 'ngày giờ hẹn trả',
    lien_ket: 'đường dẫn tra cứu', giay_to: 'giấy tờ cần bổ sung', ly_do: 'lý do',
    so_thu_tu: 'số thứ tự (xếp hàng)', con_truoc: 'số người phía trước',
  } as Record<string, string>,
  office: {
    smsUrl: 'Cổng SMS riêng của cơ quan (URL)', smsToken: 'Khóa cổng SMS riêng', zaloUrl: 'Zalo ZNS riêng của cơ quan (URL)', zaloToken: 'Khóa Zalo ZNS riêng',
    hint: 'Để trống: dùng tài khoản chung của hệ thống. Khóa đã lưu không hiển thị lại; để trống ô khóa thì giữ khóa cũ.',
    urlInvalid: 'Địa chỉ http:// hoặc https:// hợp lệ.',
  },
  /** What the template preview fills in. */
  sample: { ma_ho_so: '000.00.13.H40-260310-0001', thu_tuc: 'Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên', co_quan: 'PC06 Ninh Bình', ngay_hen: '17:00 19/03/2026', giay_to: 'Ảnh chân dung 4x6', ly_do: 'Ảnh không đạt chuẩn chụp.', so_thu_tu: 'C012', con_truoc: '3' },
  consent: {
    legend: 'Nhận thông báo về hồ sơ (theo đồng ý của công dân)',
    sms: 'SMS tới số điện thoại đã khai', zalo: 'Zalo tới cùng số điện thoại', email: 'Thư điện tử',
    needsPhone: 'Cần số điện thoại di động để nhận thông báo qua SMS hoặc Zalo.',
    needsEmail: 'Cần địa chỉ thư điện tử để nhận thông báo qua thư.',
    unknownChannel: 'Kênh thông báo không hợp lệ (sms, zalo, email).',
    saved: 'Đã lưu lựa chọn nhận thông báo của công dân.',
    save: 'Lưu lựa chọn',
  },
  page: {
    failedTitle: 'Thông báo gửi không được',
    resend: 'Gửi lại',
    resent: 'Đã đưa thông báo vào hàng chờ gửi lại.',
    templatesTitle: 'Mẫu thông báo cho công dân',
    templateSaved: 'Đã lưu mẫu thông báo.',
    bodyRequired: 'Nhập nội dung (10–600 ký tự).',
    subjectRequired: 'Nhập tiêu đề thư (3–150 ký tự).',
    unknownPlaceholder: (names: string) => `Không có trường ${names}; các trường dùng được: {ma_ho_so}, {thu_tuc}, {co_quan}, {ngay_hen}, {lien_ket}, {giay_to}, {ly_do}, {so_thu_tu}, {con_truoc}.`,
    forbiddenField: 'Không đưa số định danh, địa chỉ hay ngày sinh vào thông báo.',
    smsLength: (length: number, segments: number, encoding: string) => `${length} ký tự, ${segments} tin SMS (${encoding === 'ucs2' ? 'tiếng Việt có dấu: 70 ký tự/tin, 67 khi ghép' : 'không dấu: 160 ký tự/tin'})`,
    alert: (n: number) => `${n} thông báo cho công dân không gửi được sau lần thử cuối.`,
    alertLink: 'Xem và gửi lại',
    notFound: 'Không tìm thấy thông báo.',
    notFailed: 'Chỉ gửi lại được thông báo đã gửi lỗi.',
  },
};
