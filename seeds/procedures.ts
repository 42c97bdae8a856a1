/**
 * The procedure catalog of docs/DOMAIN.md §3 and its report groups (the article's categories).
 * Codes are the national TTHC database codes where known; `LOCAL-…` codes stand where no code
 * was confirmed and must be replaced by the province's. Times and fees marked unverified in
 * docs/DOMAIN.md are seeded as editable values, noted in `sourceNote`.
 */
export interface ReportGroupSeed {
  code: string;
  name: string;
  /** A category under a catalog group: vehicle registration is reported per vehicle kind. */
  parentCode?: string;
}

export const REPORT_GROUPS: ReportGroupSeed[] = [
  { code: 'can_cuoc', name: 'Căn cước' },
  { code: 'dinh_danh', name: 'Định danh điện tử' },
  { code: 'antt', name: 'Giấy chứng nhận đủ điều kiện về ANTT' },
  { code: 'phuong_an', name: 'Phê duyệt theo phương án' },
  { code: 'dang_ky_xe', name: 'Đăng ký xe ô tô, mô tô, xe máy điện' },
  { code: 'o_to', name: 'Đăng ký xe ô tô', parentCode: 'dang_ky_xe' },
  { code: 'mo_to', name: 'Đăng ký xe mô tô', parentCode: 'dang_ky_xe' },
  { code: 'xe_may_dien', name: 'Đăng ký xe máy điện', parentCode: 'dang_ky_xe' },
  { code: 'cu_tru', name: 'Đăng ký cư trú' },
  { code: 'tam_tru', name: 'Đăng ký tạm trú' },
];

type Copy = 'original' | 'certified_copy' | 'photocopy' | 'original_or_copy';

export interface DocumentSeed {
  name: string;
  required: boolean;
  copyKind: Copy;
  quantity?: number;
}

export interface ProcedureSeed {
  code: string;
  name: string;
  field: string;
  reportGroup: string;
  processingDays: number;
  processingNote?: string;
  feeVnd: number | null;
  feeNote?: string;
  legalBasis: string;
  isVehicle?: boolean;
  /** A first registration: no plate yet, so frame, engine, brand and colour are recorded. */
  firstRegistration?: boolean;
  sourceNote: string;
  documents: DocumentSeed[];
}

const doc = (name: string, copyKind: Copy = 'original', required = true): DocumentSeed => ({
  name,
  required,
  copyKind,
});

const CT01 = doc('Tờ khai thay đổi thông tin cư trú (mẫu CT01)');
const RESIDENCE_PROOF = doc(
  'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (trừ trường hợp đã có trong cơ sở dữ liệu)',
  'original_or_copy',
);
const OWNER_CONSENT = doc(
  'Ý kiến đồng ý của chủ hộ / chủ sở hữu chỗ ở hợp pháp (ghi vào CT01 hoặc văn bản)',
  'original',
  false,
);
const CU_TRU =
  'Luật Cư trú 68/2020/QH14; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA, 66/2023/TT-BCA';
const CAN_CUOC = 'Luật Căn cước 2023; Thông tư 17/2024/TT-BCA';
const VEHICLE = 'Thông tư 79/2024/TT-BCA, sửa đổi bởi Thông tư 13/2025/TT-BCA và 51/2025/TT-BCA';
const VEHICLE_DOCS = [
  doc('Giấy khai đăng ký xe'),
  doc('Căn cước / tài khoản định danh điện tử mức 2 của chủ xe', 'original'),
  doc('Chứng từ nguồn gốc xe (phiếu kiểm tra chất lượng xuất xưởng hoặc tờ khai hải quan)'),
  doc('Chứng từ chuyển quyền sở hữu xe (hóa đơn, hợp đồng mua bán…)', 'original_or_copy'),
  doc('Chứng từ lệ phí trước bạ (nếu không kiểm tra được điện tử)', 'original', false),
];

export const PROCEDURES: ProcedureSeed[] = [
  // Residence (cu_tru)
  {
    code: '1.004222',
    name: 'Đăng ký thường trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 7,
    feeVnd: 20000,
    feeNote: '20.000 ₫ nộp trực tiếp; 10.000 ₫ nộp trực tuyến (Thông tư 75/2022/TT-BTC)',
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [CT01, OWNER_CONSENT, RESIDENCE_PROOF],
  },
  {
    code: '1.003197',
    name: 'Xóa đăng ký thường trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 5,
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      CT01,
      doc(
        'Giấy tờ chứng minh thuộc trường hợp xóa đăng ký thường trú (Điều 24 Luật Cư trú)',
        'original_or_copy',
      ),
    ],
  },
  {
    code: '1.010038',
    name: 'Tách hộ',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 5,
    feeVnd: 10000,
    feeNote: '10.000 ₫ nộp trực tiếp; 5.000 ₫ nộp trực tuyến',
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [doc('Tờ khai thay đổi thông tin cư trú (mẫu CT01) có ý kiến đồng ý của chủ hộ')],
  },
  {
    code: '1.010039',
    name: 'Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 3,
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      CT01,
      doc('Giấy tờ, tài liệu chứng minh việc điều chỉnh thông tin', 'original_or_copy'),
    ],
  },
  {
    code: '1.003677',
    name: 'Khai báo tạm vắng',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 1,
    processingNote: 'Tối đa 2 ngày làm việc nếu phức tạp',
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [doc('Đề nghị khai báo tạm vắng (mẫu CT01)')],
  },
  {
    code: '2.001159',
    name: 'Thông báo lưu trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 0,
    processingNote: 'Giải quyết ngay; nhận sau 15:00 trả vào ngày làm việc tiếp theo',
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V] code; time [V]',
    documents: [doc('Thông tin người lưu trú (họ tên, số định danh cá nhân, thời gian lưu trú)')],
  },
  {
    code: 'LOCAL-CT-XN',
    name: 'Xác nhận thông tin về cư trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'cu_tru',
    processingDays: 1,
    processingNote: '3 ngày làm việc nếu phải xác minh',
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3: national code not confirmed; local placeholder code',
    documents: [doc('Tờ khai thay đổi thông tin cư trú (mẫu CT01) đề nghị xác nhận')],
  },
  // Temporary residence (tam_tru)
  {
    code: '1.004194',
    name: 'Đăng ký tạm trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'tam_tru',
    processingDays: 3,
    feeVnd: 15000,
    feeNote: '15.000 ₫ nộp trực tiếp; 7.000 ₫ trực tuyến; đăng ký theo danh sách 10.000 ₫/người',
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      CT01,
      doc(
        'Văn bản đồng ý của cha, mẹ hoặc người giám hộ (người chưa thành niên)',
        'original',
        false,
      ),
      doc(
        'Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê, mượn không cần công chứng)',
        'original_or_copy',
      ),
    ],
  },
  {
    code: '1.002755',
    name: 'Gia hạn tạm trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'tam_tru',
    processingDays: 3,
    processingNote: 'Nộp trong 15 ngày trước khi hết hạn tạm trú',
    feeVnd: 15000,
    feeNote: '15.000 ₫ nộp trực tiếp; 7.000 ₫ trực tuyến',
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      CT01,
      doc('Giấy tờ chứng minh chỗ ở hợp pháp (nếu thay đổi)', 'original_or_copy', false),
    ],
  },
  {
    code: '1.010028',
    name: 'Xóa đăng ký tạm trú',
    field: 'Đăng ký, quản lý cư trú',
    reportGroup: 'tam_tru',
    processingDays: 2,
    feeVnd: 0,
    legalBasis: CU_TRU,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      CT01,
      doc('Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú', 'original_or_copy'),
    ],
  },
  // Căn cước
  {
    code: '2.000200',
    name: 'Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên',
    field: 'Căn cước',
    reportGroup: 'can_cuoc',
    processingDays: 7,
    feeVnd: 0,
    feeNote: 'Cấp lần đầu miễn phí',
    legalBasis: CAN_CUOC,
    sourceNote: 'DOMAIN §3: code [V]; 7 WD [M]',
    // The legal-representative paper belongs to applicants under 14, not to this procedure.
    // TT 17/2024: the officer makes CC01 from the population database; DC02 (of the population
    // forms) only where that data is missing or wrong. There is no citizen's "request form".
    documents: [
      doc('Phiếu thu nhận thông tin căn cước (mẫu CC01)'),
      doc(
        'Phiếu cập nhật thông tin dân cư (mẫu DC02) và giấy tờ chứng minh, nếu CSDL dân cư chưa có hoặc sai',
        'original',
        false,
      ),
    ],
  },
  {
    code: '2.001195',
    name: 'Cấp đổi thẻ căn cước',
    field: 'Căn cước',
    reportGroup: 'can_cuoc',
    processingDays: 7,
    feeVnd: 50000,
    legalBasis: CAN_CUOC,
    sourceNote: 'DOMAIN §3: code [V]; time and fee [M]',
    documents: [
      doc('Phiếu thu nhận thông tin căn cước (mẫu CC01)'),
      doc('Thẻ căn cước / CCCD cũ (thu hồi)'),
    ],
  },
  {
    code: '2.001194',
    name: 'Cấp lại thẻ căn cước',
    field: 'Căn cước',
    reportGroup: 'can_cuoc',
    processingDays: 7,
    feeVnd: 70000,
    legalBasis: CAN_CUOC,
    sourceNote: 'DOMAIN §3: code [V]; time and fee [M]',
    documents: [doc('Phiếu thu nhận thông tin căn cước (mẫu CC01)')],
  },
  {
    code: '2.001178',
    name: 'Xác nhận số Chứng minh nhân dân 9 số, số định danh cá nhân',
    field: 'Căn cước',
    reportGroup: 'can_cuoc',
    processingDays: 7,
    processingNote: 'Khi số CMND cũ chưa có trong cơ sở dữ liệu',
    feeVnd: 0,
    legalBasis: CAN_CUOC,
    sourceNote: 'DOMAIN §3 [V]',
    documents: [
      doc('Văn bản đề nghị xác nhận số Chứng minh nhân dân 9 số, số định danh cá nhân'),
      doc('Chứng minh nhân dân 9 số (nếu còn)', 'original_or_copy', false),
    ],
  },
  // Electronic identification
  {
    code: 'LOCAL-DDDT-02',
    name: 'Cấp tài khoản định danh điện tử mức độ 2',
    field: 'Định danh và xác thực điện tử',
    reportGroup: 'dinh_danh',
    processingDays: 1,
    processingNote: 'Đến 15 ngày nếu phải xác minh; cùng thời hạn thẻ nếu làm cùng hồ sơ căn cước',
    feeVnd: 0,
    legalBasis: 'Nghị định 69/2024/NĐ-CP',
    sourceNote: 'DOMAIN §3 [M]: code and time unverified, editable',
    documents: [
      doc('Phiếu đề nghị cấp tài khoản định danh điện tử (mẫu TK01)'),
      doc('Thẻ căn cước / CCCD gắn chíp'),
    ],
  },
  // Security-and-order certificates
  {
    code: 'LOCAL-ANTT-01',
    name: 'Cấp mới Giấy chứng nhận đủ điều kiện về an ninh, trật tự',
    field: 'Quản lý ngành nghề kinh doanh có điều kiện',
    reportGroup: 'antt',
    processingDays: 5,
    feeVnd: 300000,
    legalBasis: 'Nghị định 96/2016/NĐ-CP, sửa đổi bởi Nghị định 56/2023/NĐ-CP',
    sourceNote: 'DOMAIN §3 [S]: code unverified, editable',
    documents: [
      doc('Văn bản đề nghị cấp Giấy chứng nhận đủ điều kiện về ANTT'),
      doc('Bản sao Giấy chứng nhận đăng ký doanh nghiệp / hộ kinh doanh', 'certified_copy'),
      doc('Giấy tờ về phòng cháy, chữa cháy', 'certified_copy'),
      doc(
        'Bản khai lý lịch kèm Phiếu lý lịch tư pháp, hoặc Bản khai nhân sự, của người chịu trách nhiệm về ANTT',
      ),
      doc(
        'Giấy tờ bổ sung theo ngành nghề (dịch vụ bảo vệ, vật liệu nổ, casino…)',
        'original_or_copy',
        false,
      ),
    ],
  },
  {
    code: 'LOCAL-ANTT-02',
    name: 'Cấp đổi, cấp lại Giấy chứng nhận đủ điều kiện về an ninh, trật tự',
    field: 'Quản lý ngành nghề kinh doanh có điều kiện',
    reportGroup: 'antt',
    processingDays: 4,
    feeVnd: 300000,
    legalBasis: 'Nghị định 96/2016/NĐ-CP, sửa đổi bởi Nghị định 56/2023/NĐ-CP',
    sourceNote: 'DOMAIN §3 [M]: time and code unverified, editable',
    documents: [
      doc('Văn bản đề nghị cấp đổi, cấp lại'),
      doc('Giấy chứng nhận đủ điều kiện về ANTT đã cấp (trường hợp cấp đổi)', 'original', false),
      doc('Giấy tờ chứng minh sự thay đổi thông tin (nếu có)', 'original_or_copy', false),
    ],
  },
  // Plans
  {
    code: 'LOCAL-PA-PCCC',
    name: 'Phê duyệt phương án chữa cháy, cứu nạn, cứu hộ của cơ sở',
    field: 'Phòng cháy, chữa cháy và cứu nạn, cứu hộ',
    reportGroup: 'phuong_an',
    processingDays: 5,
    feeVnd: 0,
    legalBasis: 'Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ 2024',
    sourceNote:
      'DOMAIN §3: no police procedure of this exact name identified; editable placeholder',
    documents: [
      doc('Văn bản đề nghị phê duyệt phương án'),
      doc('Phương án chữa cháy, cứu nạn, cứu hộ của cơ sở (2 bản)'),
    ],
  },
  // Vehicles
  {
    code: 'LOCAL-DKX-MT',
    name: 'Đăng ký, cấp biển số xe mô tô, xe gắn máy lần đầu',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    processingNote: 'Cấp biển số ngay; chứng nhận đăng ký trong 2 ngày làm việc',
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành (Thông tư 60/2023/TT-BTC)',
    legalBasis: VEHICLE,
    isVehicle: true,
    firstRegistration: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: VEHICLE_DOCS,
  },
  {
    code: 'LOCAL-DKX-OTO',
    name: 'Đăng ký, cấp biển số xe ô tô lần đầu',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    processingNote: 'Cấp biển số ngay; chứng nhận đăng ký trong 2 ngày làm việc',
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành (Thông tư 60/2023/TT-BTC)',
    legalBasis: VEHICLE,
    isVehicle: true,
    firstRegistration: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: VEHICLE_DOCS,
  },
  {
    code: 'LOCAL-DKX-XMD',
    name: 'Đăng ký, cấp biển số xe máy điện lần đầu',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành',
    legalBasis: VEHICLE,
    isVehicle: true,
    firstRegistration: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: VEHICLE_DOCS,
  },
  {
    code: 'LOCAL-DKX-DOI',
    name: 'Cấp đổi chứng nhận đăng ký xe, biển số xe',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành',
    legalBasis: VEHICLE,
    isVehicle: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: [
      doc('Giấy khai đăng ký xe'),
      doc('Căn cước / tài khoản định danh điện tử mức 2 của chủ xe'),
      doc('Chứng nhận đăng ký xe cũ (nộp lại)'),
      doc('Biển số xe cũ (trường hợp đổi biển)', 'original', false),
    ],
  },
  {
    code: 'LOCAL-DKX-SANG',
    name: 'Đăng ký sang tên xe',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành',
    legalBasis: VEHICLE,
    isVehicle: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: [
      doc('Giấy khai đăng ký xe'),
      doc('Căn cước / tài khoản định danh điện tử mức 2 của chủ xe'),
      doc('Chứng từ chuyển quyền sở hữu xe', 'original_or_copy'),
      doc('Chứng từ lệ phí trước bạ (nếu không kiểm tra được điện tử)', 'original', false),
    ],
  },
  {
    code: 'LOCAL-DKX-THUHOI',
    name: 'Thu hồi chứng nhận đăng ký xe, biển số xe',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 2,
    feeVnd: 0,
    legalBasis: VEHICLE,
    isVehicle: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: [
      doc('Giấy khai thu hồi đăng ký, biển số xe'),
      doc('Chứng nhận đăng ký xe'),
      doc('Biển số xe'),
    ],
  },
  {
    code: 'LOCAL-DKX-TAM',
    name: 'Đăng ký xe tạm thời',
    field: 'Đăng ký, quản lý phương tiện giao thông',
    reportGroup: 'dang_ky_xe',
    processingDays: 1,
    feeVnd: null,
    feeNote: 'Theo biểu lệ phí đăng ký xe hiện hành',
    legalBasis: VEHICLE,
    isVehicle: true,
    firstRegistration: true,
    sourceNote: 'DOMAIN §3 [M/S]: time unverified, code local',
    documents: [
      doc('Giấy khai đăng ký xe'),
      doc('Căn cước / tài khoản định danh điện tử mức 2 của chủ xe'),
      doc('Chứng từ nguồn gốc xe', 'original_or_copy'),
    ],
  },
];
