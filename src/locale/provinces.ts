/** Names of the birth-registration provinces of TT 07/2016, by the code that opens an ID number. */
export const BIRTH_PROVINCES: Record<string, string> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang',
  '010': 'Lào Cai', '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái',
  '017': 'Hòa Bình', '019': 'Thái Nguyên', '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang',
  '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh', '030': 'Hải Dương', '031': 'Hải Phòng',
  '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định', '037': 'Ninh Bình',
  '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định',
  '054': 'Phú Yên', '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum',
  '064': 'Gia Lai', '066': 'Đắk Lắk', '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước',
  '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai', '077': 'Bà Rịa - Vũng Tàu', '079': 'TP. Hồ Chí Minh',
  '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh', '086': 'Vĩnh Long',
  '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

/**
 * The 34 provinces and cities since 01/7/2025 and the plate codes (the two digits that open a
 * licence plate) each keeps: TT 51/2025/TT-BCA rewrote the appendix of TT 79/2024 with the rule
 * that a merged province keeps every code of the provinces it was made of (docs/DOMAIN.md §5).
 * Rows derived from that rule and the pre-2025 codes; code 80 (central agencies) is not a province's.
 */
export const PLATE_PROVINCES: Record<string, readonly string[]> = {
  'Hà Nội': ['29', '30', '31', '32', '33', '40'],
  'Huế': ['75'],
  'Lai Châu': ['25'],
  'Điện Biên': ['27'],
  'Sơn La': ['26'],
  'Lạng Sơn': ['12'],
  'Quảng Ninh': ['14'],
  'Thanh Hóa': ['36'],
  'Nghệ An': ['37'],
  'Hà Tĩnh': ['38'],
  'Cao Bằng': ['11'],
  'Tuyên Quang': ['22', '23'],
  'Lào Cai': ['24', '21'],
  'Thái Nguyên': ['20', '97'],
  'Phú Thọ': ['19', '88', '28'],
  'Bắc Ninh': ['99', '98'],
  'Hưng Yên': ['89', '17'],
  'Hải Phòng': ['15', '16', '34'],
  'Ninh Bình': ['35', '90', '18'],
  'Quảng Trị': ['74', '73'],
  'Đà Nẵng': ['43', '92'],
  'Quảng Ngãi': ['76', '82'],
  'Gia Lai': ['81', '77'],
  'Khánh Hòa': ['79', '85'],
  'Lâm Đồng': ['49', '48', '86'],
  'Đắk Lắk': ['47', '78'],
  'TP. Hồ Chí Minh': ['41', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '61', '72'],
  'Đồng Nai': ['39', '60', '93'],
  'Tây Ninh': ['70', '62'],
  'Cần Thơ': ['65', '83', '95'],
  'Vĩnh Long': ['64', '71', '84'],
  'Đồng Tháp': ['66', '63'],
  'Cà Mau': ['69', '94'],
  'An Giang': ['67', '68'],
};

/** How an electric motorbike's series letters are written on its plate (stored as MD). */
export const E_BIKE_SERIES = 'MĐ';
