/** Vietnamese strings of the tracking-book import. */
export const viImports = {
  wait: {
    title: 'Đang chờ lượt đọc tệp',
    ahead: (n: number) =>
      `Hệ thống chỉ đọc một sổ theo dõi một lúc. Phía trước còn ${n} lượt kiểm tra hoặc nhập tệp; trang này tự tải lại và sẽ bắt đầu khi đến lượt. Xin đừng đóng trang.`,
    again: 'Kiểm tra lượt ngay',
    turnGone: 'Lượt chờ đã hết (trang đã đóng quá lâu). Hãy tải tệp lên lại.',
  },
  title: 'Nhập sổ theo dõi hồ sơ',
  imported: (n: number, file: string, office: string) =>
    `Đã nhập ${n} hồ sơ từ tệp ${file} vào ${office}.`,
  cli: {
    file: (name: string, sha: string) => `Tệp: ${name} (sha256 ${sha}…)`,
    office: (name: string, code: string) => `Đơn vị: ${name} (${code})`,
    counts: (rows: number, fresh: number, before: number, bad: number) =>
      `Số dòng dữ liệu: ${rows}; mới: ${fresh}; đã nhập trước đây: ${before}; dòng lỗi: ${bad}`,
    fileError: (e: string) => `LỖI TỆP: ${e}`,
    waiting: (n: number) => `Đang chờ lượt: phía trước còn ${n} lượt đọc tệp…`,
    rowError: (row: number, messages: string) => `Dòng ${row}: ${messages}`,
    moreErrors: (n: number) => `… và ${n} dòng lỗi khác.`,
    notClean: 'Tệp còn lỗi: không nhập dòng nào.',
    checkedClean: 'Kiểm tra: tệp hợp lệ.',
    imported: (n: number, username: string) => `Đã nhập ${n} hồ sơ (tài khoản ${username}).`,
    timing: (seconds: string, peakMb: number) =>
      `Thời gian: ${seconds} s; bộ nhớ đỉnh: ${peakMb} MB.`,
  },
  provisionalWarning: (n: number) =>
    `${n} dòng không ghi ngày hẹn: ngày hẹn được tính theo lịch nghỉ dự kiến của năm chưa có lịch chính thức được xác nhận; hãy xác nhận lịch năm đó nếu cần ngày chính xác.`,
  provisionalRows: 'Các dòng:',
  eventNote: (file: string, row: number) => `${file}, dòng ${row}`,
  fields: {
    code: 'Mã hồ sơ',
    procedure_code: 'Mã thủ tục',
    applicant_name: 'Người nộp',
    personal_id: 'Số định danh',
    phone: 'Điện thoại',
    address: 'Địa chỉ',
    received_at: 'Ngày nhận',
    due_at: 'Ngày hẹn trả',
    rescheduled_due_at: 'Ngày hẹn lại',
    result_at: 'Ngày có kết quả',
    returned_at: 'Ngày trả',
    closed_at: 'Ngày kết thúc',
    status: 'Trạng thái',
    outcome: 'Kết quả',
    returned_to: 'Người nhận kết quả',
    note: 'Ghi chú',
    vehicle_kind: 'Loại xe',
    vehicle_id: 'Biển số',
  },
  errors: {
    tooLong: (field: string) => `Cột "${field}" quá dài (tối đa 1.000 ký tự).`,
    controlCharacters: (field: string) => `Cột "${field}" chứa ký tự điều khiển.`,
    notUtf8: 'Có ký tự không đọc được: hãy lưu tệp CSV theo mã UTF-8 (trong Excel: "CSV UTF-8").',
    codeInvalid: 'Mã hồ sơ chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch chéo (3–60 ký tự).',
    procedureRequired: 'Thiếu mã thủ tục.',
    procedureUnknown: (code: string) => `Mã thủ tục "${code}" không có trong danh mục thủ tục.`,
    nameRequired: 'Thiếu họ tên người nộp.',
    nameInvalid: 'Họ tên người nộp chỉ gồm chữ cái và khoảng trắng, tối đa 100 ký tự.',
    personalIdRequired: 'Thiếu số định danh cá nhân.',
    personalId: {
      format: 'Số định danh phải gồm 12 chữ số (hoặc 9 chữ số của CMND cũ).',
      province: 'Số định danh: ba chữ số đầu không phải mã tỉnh, thành phố hợp lệ.',
      century_sex: 'Số định danh: chữ số thứ 4 (thế kỷ và giới tính) không hợp lệ.',
      birth_year: 'Số định danh: chữ số thứ 5–6 không khớp với năm sinh.',
      sex_mismatch: 'Số định danh: không khớp với giới tính.',
    } as Record<string, string>,
    phoneInvalid: 'Số điện thoại di động không hợp lệ (10 chữ số, bắt đầu bằng 0 hoặc +84).',
    addressRequired: 'Thiếu địa chỉ người nộp.',
    dateInvalid: (field: string, value: string) =>
      `"${field}" không phải ngày hợp lệ: "${value}" (viết dd/mm/yyyy hoặc dd/mm/yyyy hh:mm).`,
    dateInFuture: (field: string) => `"${field}" nằm trong tương lai.`,
    receivedRequired: 'Thiếu ngày nhận hồ sơ.',
    receivedTooOld: 'Ngày nhận trước năm 2000.',
    statusUnknown: (value: string) => `Trạng thái "${value}" không rõ nghĩa.`,
    statusGuided: 'Hồ sơ chưa được tiếp nhận (hướng dẫn bổ sung) không ghi vào sổ theo dõi.',
    outcomeUnknown: (value: string) =>
      `Kết quả "${value}" không rõ nghĩa (Trước hạn, Đúng hạn, Quá hạn).`,
    dueBeforeReceipt: 'Ngày hẹn trả trước ngày nhận.',
    rescheduleBeforeDue: 'Ngày hẹn lại trước ngày hẹn trả.',
    resultBeforeReceipt: 'Ngày có kết quả trước ngày nhận.',
    returnBeforeReceipt: 'Ngày trả trước ngày nhận.',
    returnBeforeResult: 'Ngày trả trước ngày có kết quả.',
    closedBeforeReceipt: 'Ngày kết thúc trước ngày nhận.',
    openWithDates: (status: string) =>
      `Trạng thái "${status}" nhưng đã có ngày có kết quả, ngày trả hoặc ngày kết thúc.`,
    resultRequired: (status: string) => `Trạng thái "${status}" cần ngày có kết quả.`,
    readyButReturned: 'Trạng thái "chờ trả" nhưng đã có ngày trả.',
    returnedRequired: 'Trạng thái "đã trả kết quả" cần ngày trả.',
    closedRequired: (status: string) => `Trạng thái "${status}" cần ngày kết thúc (hoặc ngày trả).`,
    closedWithResult: (status: string) =>
      `Trạng thái "${status}" không được có ngày có kết quả (hồ sơ kết thúc mà không có kết quả).`,
    outcomeMismatch: (stated: string, computed: string) =>
      `Kết quả ghi "${stated}" nhưng theo ngày có kết quả và ngày hẹn là "${computed}".`,
    outcomeWithoutResult: 'Có ghi kết quả nhưng thiếu ngày có kết quả.',
    duplicateInFile: (row: number) => `Mã hồ sơ trùng với dòng ${row}.`,
    sameRowInFile: (row: number) => `Trùng hoàn toàn với dòng ${row}.`,
    codeExists: 'Mã hồ sơ đã có trong hệ thống (không phải từ một lần nhập tệp này).',
    sequenceExhausted: 'Đơn vị đã dùng hết 9.999 số hồ sơ của ngày nhận này.',
    noHeading:
      'Không tìm thấy dòng tiêu đề: cần ít nhất các cột "Mã thủ tục", "Người nộp" và "Ngày nhận".',
    emptyFile: 'Tệp không có dòng dữ liệu nào.',
    unreadable:
      'Không đọc được tệp: chỉ nhận CSV (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy) hoặc Excel .xlsx.',
    fileRequired: 'Chọn tệp CSV hoặc XLSX.',
    fileTooLarge: (mb: number) => `Tệp quá lớn (tối đa ${mb} MB).`,
    officeRequired: 'Chọn đơn vị nhận hồ sơ.',
    officeUnknown: 'Không có đơn vị này.',
    tooLargeUnpacked: (mb: number) =>
      `Tệp Excel khi giải nén vượt quá ${mb} MB hoặc bị nén bất thường (có thể là tệp độc hại): không đọc tệp này.`,
    tooBigToRead:
      'Tệp quá lớn để đọc an toàn (vượt giới hạn bộ nhớ của bộ đọc). Hãy chia sổ thành nhiều tệp nhỏ hơn.',
    tooSlowToRead: (seconds: number) =>
      `Đọc tệp quá ${seconds} giây nên đã dừng. Hãy chia sổ thành nhiều tệp nhỏ hơn hoặc lưu lại bằng Excel.`,
    notClean: 'Tệp còn dòng lỗi: không nhập dòng nào. Sửa các dòng được liệt kê rồi kiểm tra lại.',
    uploadGone: 'Tệp đã kiểm tra không còn (quá 24 giờ hoặc đã nhập). Hãy tải tệp lên lại.',
  },
};
