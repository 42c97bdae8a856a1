/** Vietnamese strings of the service index (QĐ 766/QĐ-TTg): the scorecard and its lists. */
const notFound =
  'Chưa có văn bản chính thức quy định các chỉ tiêu này; điểm do Cổng Dịch vụ công quốc gia chấm.';
const noOnlineLevel =
  'Mức độ cung cấp dịch vụ công trực tuyến của từng thủ tục (toàn trình, một phần) do Cổng Dịch vụ công quốc gia công bố và tính điểm; danh mục thủ tục của phần mềm không ghi mức độ này. Hồ sơ nộp trực tuyến được đếm ở chỉ tiêu “Tỷ lệ hồ sơ nộp trực tuyến”.';

export const viIndex = {
  title: 'Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)',
  printTitle: 'BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP',
  print: {
    period: 'Kỳ đánh giá',
    previous: 'so với',
    unit: 'Đơn vị',
    allOffices: (n: number) => `Tất cả đơn vị trong phạm vi (${n} đơn vị)`,
    appendix: 'PHỤ LỤC: XẾP HẠNG CÁC ĐƠN VỊ THEO CHỈ TIÊU',
  },
  groups: {
    transparency: 'Công khai, minh bạch',
    progress: 'Tiến độ, kết quả giải quyết',
    online: 'Cung cấp dịch vụ trực tuyến',
    digitisation: 'Số hóa hồ sơ',
    satisfaction: 'Mức độ hài lòng',
  },
  indicators: {
    publication: {
      name: 'Công khai thủ tục hành chính',
      formula: 'Thủ tục được công bố, công khai đầy đủ, đúng hạn.',
      reason:
        'Việc công bố, công khai thủ tục do Cơ sở dữ liệu quốc gia về thủ tục hành chính ghi nhận; phần mềm của đơn vị không có dữ liệu này.',
    },
    portal_sync: {
      name: 'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia',
      formula:
        'Hồ sơ tiếp nhận trong kỳ đã đồng bộ lên Cổng Dịch vụ công quốc gia / hồ sơ tiếp nhận trong kỳ.',
      reason:
        'Tỷ lệ do Cổng Dịch vụ công quốc gia tính trên các hồ sơ Cổng đã nhận. Phần mềm gửi trạng thái từng hồ sơ lên Cổng (trang “Đồng bộ Cổng dịch vụ công quốc gia”), nhưng số liệu ngày của chỉ số này chưa đếm hồ sơ đã lên Cổng, nên tỷ lệ chưa tính tại đây.',
    },
    transparency_other: {
      name: 'Các chỉ tiêu khác của nhóm công khai, minh bạch',
      formula: 'Chưa xác định.',
      reason: notFound,
    },
    on_time: {
      name: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
      formula:
        '(Hồ sơ có kết quả trước hạn, đúng hạn trong kỳ + hồ sơ đang giải quyết còn hạn tại cuối kỳ) / (hồ sơ có kết quả trong kỳ + hồ sơ đang giải quyết tại cuối kỳ, kể cả hồ sơ kỳ trước chuyển sang). Không tính hồ sơ đang chờ bổ sung (tạm dừng), hồ sơ từ chối, rút hoặc dừng giải quyết. Điểm = tỷ lệ × 20.',
    },
    online_offered: {
      name: 'Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến',
      formula: 'Thủ tục có cung cấp dịch vụ công trực tuyến / thủ tục đang áp dụng.',
      reason: noOnlineLevel,
    },
    online_used: {
      name: 'Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ',
      formula:
        'Thủ tục trực tuyến có hồ sơ nộp trực tuyến trong kỳ / thủ tục có cung cấp dịch vụ công trực tuyến.',
      reason: noOnlineLevel,
    },
    online_filed: {
      name: 'Tỷ lệ hồ sơ nộp trực tuyến',
      formula:
        'Hồ sơ tiếp nhận trong kỳ có kênh nộp trực tuyến / hồ sơ tiếp nhận trong kỳ (không tính hồ sơ nhập từ sổ theo dõi). Từ 50% được 6 điểm; dưới 50% tính theo tỷ lệ so với 50%.',
    },
    payment_procedures: {
      name: 'Tỷ lệ thủ tục có giao dịch thanh toán trực tuyến',
      formula:
        'Thủ tục có ít nhất một hồ sơ nộp phí, lệ phí trực tuyến trong kỳ / thủ tục có hồ sơ nộp phí, lệ phí (trên 0 đồng) trong kỳ. Từ 50% được 2 điểm; dưới 50% tính theo tỷ lệ so với 50%.',
    },
    portal_payment: {
      name: 'Tỷ lệ thủ tục có thể thanh toán trên Cổng Dịch vụ công quốc gia',
      formula: 'Thủ tục nhận thanh toán qua Nền tảng thanh toán của Cổng Dịch vụ công quốc gia.',
      reason:
        'Việc thủ tục nhận thanh toán qua Nền tảng thanh toán của Cổng Dịch vụ công quốc gia do Cổng cấu hình; phần mềm của đơn vị không có dữ liệu này.',
    },
    payment_dossiers: {
      name: 'Tỷ lệ hồ sơ thanh toán trực tuyến',
      formula:
        'Hồ sơ nộp phí, lệ phí trực tuyến / hồ sơ đã nộp phí, lệ phí (trên 0 đồng) trong kỳ; tiền mặt và chuyển khoản tại quầy không tính là trực tuyến. Từ 30% được 6 điểm; dưới 30% tính theo tỷ lệ so với 30%.',
    },
    electronic_result: {
      name: 'Tỷ lệ cấp kết quả điện tử',
      formula:
        'Hồ sơ có tệp kết quả điện tử / hồ sơ có kết quả trong kỳ (không tính hồ sơ nhập từ sổ theo dõi). Điểm = tỷ lệ × 6.',
    },
    digitised: {
      name: 'Tỷ lệ số hóa hồ sơ',
      formula:
        'Hồ sơ có thành phần hoặc kết quả được số hóa / hồ sơ tiếp nhận trong kỳ (không tính hồ sơ nhập từ sổ theo dõi). Từ 80% được 4 điểm; dưới 80% tính theo tỷ lệ so với 80%.',
    },
    reused: {
      name: 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa',
      formula:
        'Hồ sơ có thành phần dùng lại dữ liệu đã số hóa / hồ sơ tiếp nhận trong kỳ (không tính hồ sơ nhập từ sổ theo dõi). Từ 80% được 2 điểm; dưới 80% tính theo tỷ lệ so với 80%.',
    },
    digitisation_other: {
      name: 'Các chỉ tiêu khác của nhóm số hóa hồ sơ',
      formula: 'Chưa xác định.',
      reason: notFound,
    },
    satisfaction: {
      name: 'Mức độ hài lòng của người dân',
      formula:
        'Lượt đánh giá hài lòng hoặc rất hài lòng / lượt đánh giá trong kỳ. Điểm = tỷ lệ × 18 (cách chấm của văn bản chính thức chưa tìm thấy).',
    },
  } as Record<string, { name: string; formula: string; reason?: string }>,
  status: {
    scored: 'Đã chấm',
    empty: 'Không có dữ liệu trong kỳ',
    not_measured: 'Không đo được tại đây',
  } as Record<string, string>,
  sides: {
    numerator: 'Tử số',
    denominator: 'Mẫu số',
    excluded: 'Thuộc mẫu số, không thuộc tử số',
  } as Record<string, string>,
  periodLabel: {
    month: (month: number, year: number) => `Tháng ${month}/${year}`,
    quarter: (quarter: number, year: number) => `Quý ${quarter}/${year}`,
    year: (year: number) => `Năm ${year}`,
    custom: (from: string, to: string) => `Từ ${from} đến ${to}`,
  },
  errors: {
    periodInvalid: 'Kỳ không hợp lệ (tháng, quý hoặc năm).',
    yearInvalid: 'Năm không hợp lệ.',
    notStarted: (label: string) => `${label} chưa bắt đầu: chỉ số chỉ tính cho kỳ đã bắt đầu.`,
    monthInvalid: 'Tháng không hợp lệ (1–12).',
    quarterInvalid: 'Quý không hợp lệ (1–4).',
    dateInvalid: 'Ngày không hợp lệ (YYYY-MM-DD).',
    toBeforeFrom: 'Ngày kết thúc phải sau ngày bắt đầu.',
    rangeTooLong: 'Khoảng thời gian tối đa một năm.',
    unknownIndicator: 'Chỉ tiêu này không có danh sách hồ sơ.',
    sideInvalid: 'Chọn tử số, mẫu số hoặc hồ sơ không thuộc tử số.',
    pageInvalid: 'Trang không hợp lệ.',
    filterInvalid: 'Bộ lọc chưa hợp lệ:',
  },
  reasons: {
    resolved: (outcome: string, date: string) => `Có kết quả ${outcome} ngày ${date}`,
    inProgress: (due: string) => `Đang giải quyết, còn hạn (hẹn ${due})`,
    inProgressNoDue: 'Đang giải quyết, không có hạn',
    overdue: (due: string) => `Đang giải quyết, quá hạn (hẹn ${due})`,
    channel: {
      online: 'Nộp trực tuyến',
      counter: 'Nộp trực tiếp tại bộ phận một cửa',
      post: 'Nộp qua bưu chính công ích',
    } as Record<string, string>,
    digitised: 'Có tệp thành phần hoặc kết quả đã số hóa',
    notDigitised: 'Chưa có tệp thành phần hay kết quả nào được số hóa',
    reused: 'Có thành phần dùng lại dữ liệu đã số hóa',
    notReused: 'Không dùng lại thành phần nào',
    electronic: 'Có tệp kết quả điện tử',
    notElectronic: 'Chưa có tệp kết quả điện tử',
    paidOnline: 'Nộp phí, lệ phí trực tuyến',
    paidOffline: 'Nộp phí, lệ phí tại quầy (tiền mặt hoặc chuyển khoản)',
    satisfied: 'Người dân đánh giá hài lòng hoặc rất hài lòng',
    unsatisfied: 'Người dân đánh giá không hài lòng',
  },
  export: {
    sheet: 'Chỉ số',
    scope: 'Phạm vi',
    allOffices: (n: number) => `Tất cả đơn vị trong phạm vi (${n})`,
    period: 'Kỳ',
    previous: 'Kỳ trước',
    generatedAt: 'Lập lúc',
    header: [
      'Mã',
      'Nhóm',
      'Chỉ tiêu',
      'Tử số',
      'Mẫu số',
      'Tỷ lệ',
      'Điểm',
      'Điểm tối đa',
      'Tình trạng',
      'Tử số kỳ trước',
      'Mẫu số kỳ trước',
      'Tỷ lệ kỳ trước',
      'Điểm kỳ trước',
      'Cách tính / lý do',
    ],
    total: 'Tổng điểm (trên các chỉ tiêu đo được)',
    notMeasuredTotal: 'Điểm không đo được tại đây',
  },
  trend: {
    heading: 'Diễn biến 12 tháng',
    title: (name: string) => `${name}: 12 tháng`,
    point: (month: string, value: string) =>
      `Tháng ${month.slice(5)}/${month.slice(0, 4)}: ${value}`,
    noData: 'không có dữ liệu',
  },
  outcome: { early: 'trước hạn', on_time: 'đúng hạn', late: 'quá hạn' } as Record<string, string>,
} as const;
