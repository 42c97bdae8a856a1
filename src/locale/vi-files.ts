import type { Rejection } from '../files/rejection.js';

const mb = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`
    : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('vi-VN')} kB`;

/** Số hóa: component files, the electronic result, reuse, the citizen's download. */
export const viFiles = {
  section: 'Số hóa giấy tờ',
  resultName: 'Kết quả giải quyết (bản điện tử)',
  size: mb,
  pages: (n: number) => `${n} trang`,
  state: {
    none: 'Chưa số hóa',
    digitised: 'Đã số hóa',
    reused: 'Dùng lại bản đã số hóa',
    reused_result: 'Dùng lại kết quả điện tử',
    paper_only: 'Đã xem bản gốc, lưu bản giấy',
  } as Record<string, string>,
  attached: 'Đã đính kèm tệp.',
  reusedDone: (name: string) => `Đã dùng lại bản số hóa cho: ${name}.`,
  paperDone: 'Đã ghi nhận: đã xem bản gốc, lưu bản giấy.',
  componentTitle: (name: string) => `Số hóa: ${name}`,
  reuseTitle: 'Dùng lại giấy tờ đã số hóa',
  reuseAll: 'Dùng lại tất cả giấy tờ còn giá trị',
  reuseAtIntake:
    'Dùng lại giấy tờ đã số hóa, còn giá trị của người nộp cho các thành phần hồ sơ chưa có tệp',
  reuseAtIntakeFailed:
    'Đã tiếp nhận hồ sơ nhưng chưa dùng lại được giấy tờ đã số hóa; làm lại ở mục số hóa của hồ sơ.',
  reusedAll: (names: string[]) =>
    names.length
      ? `Đã dùng lại ${names.length} giấy tờ đã số hóa: ${names.join('; ')}.`
      : 'Không có giấy tờ nào chưa có tệp mà dùng lại được.',
  errors: {
    fileRequired: 'Vui lòng chọn ít nhất một tệp (PDF, JPG hoặc PNG).',
    tooLarge: (maxBytes: number) => `Tệp quá lớn: mỗi tệp tối đa ${mb(maxBytes)}.`,
    tooManyFiles: (n: number) => `Mỗi lần gửi tối đa ${n} tệp.`,
    tooManyPages: (n: number) => `Quá nhiều trang: một giấy tờ tối đa ${n} trang.`,
    quota: (used: number, quota: number) =>
      `Đơn vị đã dùng ${mb(used)} trong ${mb(quota)} dung lượng lưu trữ tệp: không đủ chỗ cho tệp này. Vui lòng báo quản trị viên.`,
    rejected: {
      unknown_type:
        'Tệp không phải PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).',
      empty: 'Tệp rỗng.',
      broken_pdf: 'Tệp PDF bị hỏng hoặc chưa tải lên hết.',
      pdf_no_pages: 'Không đọc được trang nào trong tệp PDF.',
      pdf_active_content:
        'Tệp PDF có mã lệnh, lệnh chạy chương trình hoặc tệp nhúng: không được nhận. Vui lòng quét lại.',
      pdf_encrypted: 'Tệp PDF có mật khẩu hoặc bị mã hóa: vui lòng lưu lại không đặt mật khẩu.',
      broken_jpeg: 'Ảnh JPG bị hỏng hoặc chưa tải lên hết.',
      broken_png: 'Ảnh PNG bị hỏng hoặc chưa tải lên hết.',
      image_too_large:
        'Ảnh có quá nhiều điểm ảnh: vui lòng chụp hoặc quét ở độ phân giải thấp hơn.',
    } satisfies Record<Rejection, string>,
    fileNamed: (name: string, message: string) => `${name}: ${message}`,
    interrupted: 'Tệp chưa tải lên hết (đường truyền bị ngắt). Vui lòng gửi lại.',
    notMultipart: 'Vui lòng gửi tệp bằng biểu mẫu có tệp đính kèm (multipart/form-data).',
    componentUnknown: 'Giấy tờ này không có trong hồ sơ.',
    notAccepted: 'Hồ sơ không được tiếp nhận: không có giấy tờ để số hóa.',
    anonymised: 'Hồ sơ đã hết thời hạn lưu thông tin cá nhân: không đính kèm được tệp.',
    resultNotNow:
      'Chỉ đính kèm kết quả khi hồ sơ đang giải quyết hoặc đã có kết quả (không phải hồ sơ đã từ chối, rút hoặc dừng).',
    reasonRequired: 'Vui lòng ghi lý do lưu bản giấy.',
    reasonTooLong: 'Lý do tối đa 300 ký tự.',
    validUntil: 'Ngày hết hạn không hợp lệ (ví dụ 31/12/2030).',
    reuseGone:
      'Bản số hóa này không còn dùng lại được: đã hết hiệu lực, đã được thay, hoặc không cùng người nộp.',
    noPersonalId: 'Hồ sơ không có số định danh cá nhân: không tìm được giấy tờ đã số hóa.',
    fileMissing: 'Tệp không còn trong kho lưu trữ.',
    fileDamaged:
      'Tệp trong kho không khớp mã kiểm tra (bị hỏng): không mở tệp này. Vui lòng báo quản trị viên.',
    fileDeleted: 'Tệp đã được xóa khi hết thời hạn lưu trữ.',
  },
  citizen: {
    title: 'Kết quả điện tử',
    intro:
      'Hồ sơ đã có kết quả bản điện tử. Để tải về, nhập bốn số cuối của số định danh cá nhân (căn cước) của người nộp hồ sơ.',
    idDigits: 'Bốn số cuối số định danh cá nhân',
    download: 'Tải kết quả',
    digitsFormat: 'Vui lòng nhập đúng 4 chữ số.',
    wrong:
      'Thông tin không khớp. Vui lòng kiểm tra mã hồ sơ, mã tra cứu và bốn số cuối số định danh.',
    tooManyWrong:
      'Đã nhập sai quá nhiều lần cho hồ sơ này. Vui lòng thử lại sau hoặc nhận kết quả tại bộ phận một cửa.',
    none: 'Hồ sơ chưa có kết quả điện tử.',
  },
};
