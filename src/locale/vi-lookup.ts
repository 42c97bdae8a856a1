/** Vietnamese strings of the citizen's status page. */
export const viLookup = {
  title: 'Tra cứu hồ sơ',
  dueAfterSupplement: 'Sẽ tính lại khi Ông/Bà nộp đủ giấy tờ bổ sung dưới đây.',
  intro:
    'Nhập mã hồ sơ và mã tra cứu in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, hoặc quét mã QR trên giấy hẹn.',
  code: 'Mã hồ sơ',
  codeHint: 'Ví dụ: 000.00.13.H40-260310-0001',
  key: 'Mã tra cứu',
  keyHint: '8 ký tự, in cạnh mã QR',
  duplicateParameter: 'Đường dẫn tra cứu không hợp lệ: mã hồ sơ hoặc mã tra cứu được ghi hai lần.',
  submit: 'Tra cứu',
  notFound:
    'Không tìm thấy hồ sơ, hoặc mã tra cứu không đúng. Vui lòng kiểm tra lại mã hồ sơ và mã tra cứu trên giấy hẹn. Nếu giấy hẹn đã được in lại (khi sửa hồ sơ hoặc cấp lại giấy hẹn), chỉ mã tra cứu trên giấy mới còn dùng được.',
  required: 'Vui lòng nhập mã hồ sơ và mã tra cứu.',
  tooMany: (minutes: number) =>
    `Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
  status: {
    received: 'Đang giải quyết',
    processing: 'Đang giải quyết',
    supplement_requested: 'Cần bổ sung giấy tờ',
    result_ready: 'Đã có kết quả, mời nhận',
    returned: 'Đã trả kết quả',
    refused: 'Hồ sơ không được giải quyết',
    withdrawn: 'Đã dừng giải quyết theo đề nghị của công dân',
    stopped: 'Đã dừng giải quyết theo đề nghị của công dân',
  } as Record<string, string>,
  bringForPickup: [
    'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    'Thẻ căn cước (hoặc giấy ủy quyền nếu nhận thay)',
  ],
  bringForSupplement: 'Giấy tờ cần bổ sung',
  refusedNote: 'Vui lòng liên hệ bộ phận một cửa để nhận phiếu thông báo và được hướng dẫn.',
  rating: {
    title: 'Đánh giá mức độ hài lòng',
    intro: 'Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn. Mỗi hồ sơ được đánh giá một lần.',
    levels: {
      very_satisfied: 'Rất hài lòng',
      satisfied: 'Hài lòng',
      unsatisfied: 'Không hài lòng',
    } as Record<string, string>,
    comment: 'Góp ý (không bắt buộc)',
    submit: 'Gửi đánh giá',
    thanks: 'Cảm ơn Ông/Bà đã đánh giá.',
    already: 'Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.',
    levelRequired: 'Chọn một mức đánh giá.',
    notYet: 'Chỉ đánh giá được sau khi đã nhận kết quả.',
    yours: 'Đánh giá của Ông/Bà:',
  },
};
