/** The official forms: code and title of each slip in each form set (docs/DOMAIN.md §8). */
type FormTitles = Record<
  'receipt' | 'supplement' | 'refusal' | 'apology' | 'stop' | 'control' | 'book',
  { code: string; title: string }
>;

const TT03: FormTitles = {
  receipt: { code: 'Mẫu số 01', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' },
  supplement: { code: 'Mẫu số 02', title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ' },
  refusal: { code: 'Mẫu số 03', title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ' },
  apology: { code: 'Mẫu số 04', title: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT' },
  stop: { code: 'Mẫu số 05', title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ' },
  control: { code: 'Mẫu số 06', title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ' },
  book: { code: 'Mẫu số 07', title: 'SỔ THEO DÕI HỒ SƠ' },
};

export const viForms = {
  sets: {
    tt03: TT03,
    // Residence (TT 66/2023/TT-BCA): CT04 receipt, CT05 supplement guidance, CT06 refusal.
    residence: {
      ...TT03,
      receipt: { code: 'Mẫu CT04', title: 'PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' },
      supplement: { code: 'Mẫu CT05', title: 'PHIẾU HƯỚNG DẪN BỔ SUNG, HOÀN THIỆN HỒ SƠ' },
      refusal: { code: 'Mẫu CT06', title: 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ' },
    },
    // Căn cước (TT 17/2024/TT-BCA): CC02 appointment, CC03 refusal.
    id_card: {
      ...TT03,
      receipt: { code: 'Mẫu CC02', title: 'PHIẾU HẸN TRẢ THẺ CĂN CƯỚC' },
      refusal: { code: 'Mẫu CC03', title: 'THÔNG BÁO TỪ CHỐI GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC' },
    },
  } as Record<string, FormTitles>,
  setNames: {
    tt03: 'Mẫu của Thông tư 03/2025/TT-VPCP',
    residence: 'Mẫu cư trú (CT04, CT05, CT06 – Thông tư 66/2023/TT-BCA)',
    id_card: 'Mẫu căn cước (CC02, CC03 – Thông tư 17/2024/TT-BCA)',
  } as Record<string, string>,
  date: (d: string, m: string, y: string) => `ngày ${d} tháng ${m} năm ${y}`,
  blankDate: 'ngày …… tháng …… năm ……',
  time: (h: string, min: string, date: string) => `${h} giờ ${min} phút, ${date}`,
  blankTime: '…… giờ …… phút, ngày …… tháng …… năm ……',
  /** Kinds of administrative unit a place name starts with in an address ("phường Hoa Lư" → "Hoa Lư"). */
  placeKinds: [
    'phường',
    'xã',
    'thị trấn',
    'thị xã',
    'thành phố',
    'tỉnh',
    'huyện',
    'quận',
    'đặc khu',
  ],
  setLabel: 'Mẫu phiếu in',
  setInvalid: 'Chọn bộ mẫu phiếu trong danh sách.',
  placeLabel: 'Địa danh ghi trên văn bản',
  placeHint: 'Ví dụ: Hoa Lư (in "Hoa Lư, ngày … tháng … năm …"). Để trống: lấy từ địa chỉ.',
  copies: { 1: 'Liên 1: giao người nộp hồ sơ', 2: 'Liên 2: lưu cùng hồ sơ' } as Record<
    number,
    string
  >,
};
