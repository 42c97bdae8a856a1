/** The report's sections added by the payments and the files (docs/DOMAIN.md §10, §11). */
export const viReportSections = {
  office: 'Đơn vị',
  procedure: 'Thủ tục',
  total: 'Tổng cộng',
  fees: {
    title: 'Phí, lệ phí',
    byOffice: 'Phí, lệ phí theo đơn vị',
    byProcedure: 'Đã thu theo thủ tục và hình thức nộp',
    feeDossiers: 'Hồ sơ có phí, lệ phí',
    dueCount: 'Hồ sơ phải nộp',
    dueAmount: 'Số tiền phải thu (đ)',
    exempt: 'Được miễn',
    toAssess: 'Chưa xác định số tiền',
    unpaidAmount: 'Chưa thu (đ)',
    collected: (method: string) => `Đã thu: ${method} (đ)`,
    collectedTotal: 'Tổng đã thu (đ)',
    paidCount: 'Số khoản đã thu',
    onlineShare: 'Tỷ lệ thanh toán trực tuyến',
    method: 'Hình thức nộp',
    count: 'Số khoản',
    amount: 'Số tiền (đ)',
    note:
      'Hồ sơ có phí: hồ sơ tiếp nhận trong kỳ có lệ phí khác 0 (hoặc lệ phí theo từng trường hợp). ' +
      'Đã thu: khoản đã nộp trong kỳ, số tiền lớn hơn 0. Tỷ lệ thanh toán trực tuyến: số khoản ' +
      'nộp trực tuyến trên tổng số khoản đã thu (chuyển khoản VietQR tại quầy không tính là trực tuyến).',
  },
  digitisation: {
    title: 'Số hóa hồ sơ, kết quả',
    byOffice: 'Số hóa theo đơn vị',
    byProcedure: 'Số hóa theo thủ tục',
    dossiersReceived: 'Hồ sơ tiếp nhận',
    componentsReceived: 'Thành phần tiếp nhận',
    componentsDigitised: 'Thành phần đã số hóa',
    componentsReused: 'Thành phần tái sử dụng',
    componentsPaperOnly: 'Giữ bản giấy',
    dossiersFullyDigitised: 'Hồ sơ số hóa đầy đủ',
    dossiersWithDigitised: 'Hồ sơ có số hóa (thành phần hoặc kết quả)',
    dossiersWithReuse: 'Hồ sơ có tái sử dụng',
    resultsGiven: 'Hồ sơ đã có kết quả',
    resultsElectronic: 'Kết quả điện tử',
    dossierRate: 'Tỷ lệ hồ sơ có số hóa',
    reuseRate: 'Tỷ lệ hồ sơ tái sử dụng',
    electronicRate: 'Tỷ lệ kết quả điện tử',
    /** The tracking book's note: "Số hóa 2/5 thành phần (1 tái sử dụng); kết quả điện tử". */
    bookNote: (digitised: number, handed: number, reused: number, electronic: boolean) =>
      [
        digitised === 0
          ? 'Chưa số hóa thành phần'
          : `Số hóa ${digitised}/${handed} thành phần${reused ? ` (${reused} tái sử dụng)` : ''}`,
        electronic ? 'kết quả điện tử' : '',
      ]
        .filter(Boolean)
        .join('; '),
    note:
      'Thành phần, hồ sơ: hồ sơ tiếp nhận trong kỳ. Kết quả: hồ sơ có kết quả trong kỳ (chờ trả ' +
      'hoặc đã trả), điện tử khi bản kết quả đã được đính kèm. Số hóa gồm cả giấy tờ tái sử dụng.',
  },
};
