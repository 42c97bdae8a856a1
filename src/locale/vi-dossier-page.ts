/**
 * The dossier page's action forms: the labels of each field the action table names, and the
 * headings of the page's sections (docs/ARCHITECTURE.md "Actions").
 */
export const viDossierPage = {
  sections: {
    actions: 'Thao tác',
    handover: 'Chuyển tiếp hồ sơ',
    finished: 'Hồ sơ đã kết thúc; không còn thao tác nào.',
    nothingForYou: 'Không có thao tác nào bạn được thực hiện với hồ sơ ở bước này.',
  },
  fields: {
    note: 'Ghi chú (không bắt buộc)',
    reason: 'Lý do',
    supplement_what: 'Giấy tờ cần bổ sung',
    returned_by: 'Người nhận kết quả',
    returned_to: 'Họ tên người nộp nhận kết quả',
    proxy_name: 'Họ tên người được ủy quyền',
    proxy_personal_id: 'Số định danh / CMND người được ủy quyền',
    proxy_paper: 'Giấy ủy quyền (số, ngày, nơi chứng thực)',
    new_due_date: 'Ngày hẹn mới',
    to_step: 'Chuyển tới bước',
    to_unit: 'Đơn vị nhận',
    to_account: 'Cán bộ nhận (không bắt buộc: để trống thì vào hàng chờ của đơn vị)',
  },
  /** A field's label where an action asks for it in its own words. */
  fieldOf: {
    reschedule: { reason: 'Lý do chậm trễ' },
    return_for_rework: { reason: 'Lý do trả lại' },
    approve: { note: 'Ý kiến phê duyệt (không bắt buộc)' },
  } as Record<string, Record<string, string>>,
  returnedBy: { applicant: 'Người nộp hồ sơ', authorised: 'Người được ủy quyền' },
  toStep: {
    approval: 'Phê duyệt (lãnh đạo đơn vị)',
    processing: 'Xử lý tiếp (đơn vị, cán bộ khác)',
  },
  unitQueue: '— Hàng chờ của đơn vị —',
  supplementClock: {
    restart: 'Đồng hồ: khi nhận đủ giấy tờ, tính lại đủ thời hạn.',
    pause: 'Đồng hồ: tạm dừng, ngày hẹn lùi bằng số ngày làm việc chờ bổ sung.',
  },
  memberOption: (name: string, role: string, unit: string) => `${name} · ${role} · ${unit}`,
};
