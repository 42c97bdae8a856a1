/** Vietnamese strings of the office's published working hours (rendered, never typed). */
export const viHours = {
  /** Day names, 0 Sunday … 6 Saturday. */
  weekday: ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  /** "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00". */
  published: (days: string, periods: string) => `${days}: ${periods}`,
  label: 'Giờ làm việc',
  adminPreview: (text: string) => `Giờ làm việc công bố cho công dân: ${text}.`,
  adminHint:
    'Giờ làm việc là căn cứ duy nhất: trang công dân, đặt lịch, máy lấy số, giấy tiếp nhận và hạn từng bước đều tính theo giờ này. Dạng 07:30-11:30,13:30-17:00.',
};
