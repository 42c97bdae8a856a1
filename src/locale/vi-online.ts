/** Dossiers that arrive online (the inbox) and their status on the national portal. */
export const viOnline = {
  inboxTitle: 'Hồ sơ trực tuyến',
  entryTitle: (code: string) => `Hồ sơ trực tuyến ${code}`,
  empty: 'Không có hồ sơ trực tuyến nào.',
  state: {
    pending: 'Chờ kiểm tra',
    supplement_requested: 'Đã yêu cầu bổ sung',
    accepted: 'Đã tiếp nhận',
    refused: 'Không tiếp nhận',
  } as Record<string, string>,
  returnChannel: {
    counter: 'Nhận tại bộ phận một cửa',
    post: 'Qua bưu chính công ích',
    online: 'Trực tuyến',
  } as Record<string, string>,
  syncState: {
    in_step: 'Đã đồng bộ',
    pending: 'Chờ đồng bộ',
    failing: 'Đồng bộ lỗi',
  } as Record<string, string>,
  col: {
    portalCode: 'Mã trên Cổng',
    applicant: 'Người nộp',
    procedure: 'Thủ tục',
    submittedAt: 'Nộp lúc',
    checkDue: 'Hạn kiểm tra',
    state: 'Trạng thái',
    files: 'Tệp',
    returnChannel: 'Hình thức nhận kết quả',
    dossier: 'Hồ sơ',
    reason: 'Lý do',
    decidedBy: 'Người xử lý',
  },
  late: 'Quá hạn kiểm tra',
  /** "Hồ sơ của tôi": the online checks past their deadline, escalated like a late step. */
  lateChecks: {
    title: 'Hồ sơ trực tuyến quá hạn kiểm tra',
    lateBy: 'Quá hạn',
    more: (shown: number, total: number) =>
      `Đang hiện ${shown} trên ${total} hồ sơ; xem tất cả trong hộp hồ sơ trực tuyến.`,
  },
  lateBy: {
    days: (n: number) => `${n} ngày`,
    hours: (n: number) => `${n} giờ`,
    minutes: (n: number) => `${n} phút`,
  },
  syncTitle: 'Đồng bộ Cổng dịch vụ công quốc gia',
  resend: 'Gửi lại ngay',
  resent: 'Sẽ gửi lại ở lượt đồng bộ kế tiếp.',
  /** The portal's progress records: who acted when no officer did, and what each change was. */
  portalActor: 'Cán bộ một cửa',
  portalChange: {
    received: 'Tiếp nhận hồ sơ',
    fee_paid: 'Đã nộp phí, lệ phí',
    online_supplement: 'Yêu cầu bổ sung hồ sơ',
    online_refused: 'Từ chối tiếp nhận hồ sơ',
  } as Record<string, string>,
  component: 'Thành phần hồ sơ',
  accept: 'Tiếp nhận hồ sơ',
  requestSupplement: 'Yêu cầu bổ sung',
  refuse: 'Từ chối tiếp nhận',
  reasonLabel: 'Lý do (ít nhất 10 ký tự)',
  accepted: (code: string) => `Đã tiếp nhận, mã hồ sơ ${code}.`,
  supplementAsked: 'Đã yêu cầu bổ sung; Cổng dịch vụ công sẽ báo cho công dân.',
  refused: 'Đã từ chối tiếp nhận; Cổng dịch vụ công sẽ báo cho công dân.',
  /** Added to the two lines above when the applicant's phone is told too. */
  smsQueued: 'Đã xếp tin nhắn SMS báo công dân qua số điện thoại đã khai.',
  /** The citizen's messages about an online dossier (src/notifications, editable templates). */
  message: {
    kind: {
      online_supplement: 'Hồ sơ trực tuyến cần bổ sung',
      online_refused: 'Hồ sơ trực tuyến không được tiếp nhận',
    },
    defaults: {
      online_supplement: {
        subject: 'Hồ sơ {ma_tren_cong} cần bổ sung',
        body: '{co_quan}: hồ sơ trực tuyến {ma_tren_cong} ({thu_tuc}) cần bổ sung. Lý do: {ly_do}. Mời Ông/Bà bổ sung trên Cổng dịch vụ công.',
      },
      online_refused: {
        subject: 'Hồ sơ {ma_tren_cong} không được tiếp nhận',
        body: '{co_quan}: hồ sơ trực tuyến {ma_tren_cong} ({thu_tuc}) không được tiếp nhận. Lý do: {ly_do}.',
      },
    },
    placeholder: 'mã hồ sơ trên Cổng dịch vụ công',
    sample: 'G22.99-260310-0001',
  },
  errors: {
    portalTokenRequired:
      'Việc gửi hồ sơ trực tuyến cần khóa API của Cổng dịch vụ công (phạm vi portal).',
    portalCodeInvalid: 'Mã hồ sơ trên Cổng: 1–60 ký tự gồm chữ, số, dấu chấm, gạch ngang.',
    procedureUnknown: 'Không có thủ tục này trong danh mục (mã thủ tục quốc gia).',
    submittedAtInvalid:
      'Thời điểm nộp phải là ngày giờ ISO 8601 (ví dụ 2026-03-10T08:00:00+07:00).',
    submittedInFuture: 'Thời điểm nộp không thể ở tương lai.',
    returnChannelInvalid: 'Hình thức nhận kết quả: counter, post hoặc electronic.',
    documentUnknown: 'Giấy tờ này không thuộc thủ tục.',
    documentTwice: 'Mỗi giấy tờ chỉ gửi một lần.',
    base64Invalid: 'Nội dung tệp phải là base64 hợp lệ.',
    contentTypeMismatch: (declared: string, actual: string) =>
      `Tệp khai là ${declared} nhưng nội dung là ${actual}.`,
    deliveredDifferently:
      'Mã hồ sơ này đã được gửi với nội dung khác; chỉ gửi lại khi cơ quan yêu cầu bổ sung.',
    notFound: 'Không tìm thấy hồ sơ trực tuyến.',
    alreadyDecided: 'Hồ sơ trực tuyến này đã được xử lý.',
    counterOnly:
      'Chỉ cán bộ làm việc tại bộ phận một cửa của cơ quan mới kiểm tra hồ sơ trực tuyến.',
    reasonRequired: 'Nhập lý do (10–1000 ký tự).',
    notFailing: 'Hồ sơ này không ở trạng thái đồng bộ lỗi (có thể đã gửi được).',
    dossierPartMissing:
      'Thiếu phần "dossier" (JSON các trường của hồ sơ) trong biểu mẫu multipart.',
    dossierPartInvalid: 'Phần "dossier" phải là một đối tượng JSON hợp lệ.',
    partUnknown: 'Tên phần tệp phải là components[<mã giấy tờ>].',
  },
};
