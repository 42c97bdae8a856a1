/** Strings of the handover after the counter: units, steps, worklists, step reports. */
export const viHandover = {
  counterUnit: 'Bộ phận tiếp nhận và trả kết quả',
  citizen: 'Công dân',
  unitRole: { processor: 'Cán bộ xử lý', approver: 'Lãnh đạo đơn vị (phê duyệt)' } as Record<
    string,
    string
  >,
  stepKind: {
    reception: 'Tiếp nhận',
    processing: 'Xử lý',
    approval: 'Phê duyệt',
    result: 'Chuyển kết quả về một cửa',
    return: 'Trả kết quả cho công dân',
  } as Record<string, string>,
  endReason: {
    handed_over: 'Đã chuyển',
    rework: 'Trả lại để làm lại',
    approved: 'Đã phê duyệt',
    result_received: 'Một cửa đã nhận kết quả',
    returned: 'Đã trả công dân',
    supplement: 'Tạm dừng chờ bổ sung',
    closed: 'Kết thúc',
  } as Record<string, string>,
  worklist: {
    title: 'Hồ sơ của tôi',
    sections: {
      mine: 'Tôi đang giữ',
      queue: 'Chờ nhận xử lý (của đơn vị)',
      approvals: 'Chờ phê duyệt',
      counter: 'Kết quả chuyển về một cửa, chờ trả',
      escalated: 'Bước quá hạn (cần đôn đốc)',
    } as Record<string, string>,
    filters: {
      all: 'Tất cả',
      today: 'Đến hạn hôm nay',
      overdue: 'Quá hạn',
      risk: 'Sắp quá hạn',
    } as Record<string, string>,
    empty: 'Không có hồ sơ nào.',
    atRisk: 'Sắp quá hạn',
    overdue: 'Quá hạn',
    dueToday: 'Đến hạn hôm nay',
  },
  errors: {
    unitRequired: 'Chọn đơn vị nhận hồ sơ.',
    unitUnknown: 'Đơn vị nhận không tồn tại, đã ngừng hoạt động hoặc thuộc cơ quan khác.',
    accountNotMember:
      'Cán bộ nhận không thuộc đơn vị đã chọn (hoặc không có vai trò phù hợp với bước này).',
    stepNotOpen: 'Hồ sơ không có bước nào đang mở để thực hiện thao tác này.',
    wrongStep: (action: string, step: string) => `Không thể "${action}" ở bước "${step}".`,
    notYourUnit: 'Hồ sơ đang ở đơn vị khác; bạn không thuộc đơn vị này.',
    notHolder:
      'Bạn không giữ hồ sơ này ở bước hiện tại; chỉ người đang giữ hoặc lãnh đạo đơn vị mới chuyển được.',
    alreadyClaimed: (name: string) => `Hồ sơ đã được ${name} nhận xử lý.`,
    approverOnly: 'Chỉ lãnh đạo của đơn vị đang giữ hồ sơ mới phê duyệt được.',
    counterOnly: 'Thao tác này do bộ phận tiếp nhận và trả kết quả thực hiện.',
    ownWork:
      'Cán bộ đã xử lý hồ sơ không được tự phê duyệt hồ sơ đó: việc phê duyệt do lãnh đạo khác của đơn vị thực hiện.',
    notForSupervisors:
      'Cơ quan chưa cho phép lãnh đạo thao tác thay đơn vị xử lý (xem trang cơ quan trong Quản trị).',
    notAllowed: 'Tài khoản của bạn không có quyền thực hiện thao tác này với hồ sơ.',
    reasonRequired: 'Nêu rõ lý do trả lại (ít nhất 10 ký tự).',
    nothingToReturnTo: 'Không có bước trước để trả lại.',
    toStepInvalid: 'Bước nhận không hợp lệ (xử lý hoặc phê duyệt).',
    planTooLong: (hours: string, legal: string) =>
      `Tổng thời gian các bước (${hours} giờ) vượt thời hạn giải quyết (${legal} giờ làm việc).`,
    planStepInvalid: 'Nhập số giờ làm việc (0–2000, bội số của 0,25 giờ).',
    planProcessingRequired: 'Bước xử lý cần ít nhất 0,25 giờ.',
    unitCodeInvalid: 'Mã đơn vị gồm 2–20 chữ in hoa, chữ số, dấu gạch.',
    workingHoursInvalid:
      'Giờ làm việc dạng 07:00-11:30,13:30-17:00 (các khoảng tăng dần, không chồng nhau).',
    unitCodeTaken: 'Mã này đã có ở đơn vị (cơ quan) đã chọn.',
    unitNameRequired: 'Nhập tên đơn vị xử lý (ít nhất 3 ký tự).',
    memberAccountInvalid: 'Chọn tài khoản thuộc cùng cơ quan với đơn vị xử lý.',
    memberRoleInvalid: 'Chọn vai trò: cán bộ xử lý hoặc lãnh đạo đơn vị.',
  },
  apologyPrompt: (due: string) =>
    `Hồ sơ khó kịp ngày hẹn ${due}: theo quy định, phải gửi văn bản xin lỗi và đề nghị gia hạn cho công dân trước ngày hẹn.`,
  apologyPromptAction: 'Lập văn bản xin lỗi, hẹn lại',
  holderNone: 'Chưa có người nhận',
  deadlineCapped: 'không quá ngày hẹn trả của hồ sơ',
  admin: {
    unitsTitle: 'Đơn vị xử lý',
    unitCreated: 'Đã tạo đơn vị xử lý.',
    unitSaved: 'Đã lưu đơn vị xử lý.',
    memberAdded: 'Đã thêm thành viên.',
    memberRemoved: 'Đã bỏ thành viên khỏi đơn vị.',
    planSaved: 'Đã lưu kế hoạch các bước.',
    planReset: 'Đã trở về kế hoạch mặc định.',
    fields: {
      office: 'Cơ quan',
      code: 'Mã đơn vị',
      name: 'Tên đơn vị xử lý',
      active: 'Đang hoạt động',
      account: 'Tài khoản',
      role: 'Vai trò',
    },
    codeHint:
      'Dùng chung mã cho cùng loại đơn vị ở các cơ quan (ví dụ QLHC, CSGT): kế hoạch các bước của thủ tục chỉ định theo mã.',
  },
  report: {
    title: 'Các bước giải quyết',
    byUnit: 'Theo đơn vị xử lý',
    byOfficer: 'Theo cán bộ',
    byKind: 'Thời gian mỗi bước (giờ làm việc)',
    finished: 'Bước đã xong',
    openOverdue: 'Đang quá hạn',
    openAtRisk: 'Sắp quá hạn',
    median: 'Trung vị',
    p90: 'Phân vị 90',
    noSteps: (n: number) =>
      `${n} hồ sơ nhập từ sổ theo dõi cũ trong kỳ không có các bước giải quyết; chúng chỉ có trong các số liệu chung ở trên.`,
  },
};
