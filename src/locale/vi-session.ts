/** Vietnamese strings of the warning before an officer's session ends (issue 28, item 6). */
export const viSession = {
  soon: 'Phiên làm việc sắp hết hạn do lâu không thao tác.',
  left: (time: string) => `Còn ${time}.`,
  keepWorking: 'Tiếp tục làm việc',
  extended: 'Đã gia hạn phiên làm việc.',
  ended:
    'Phiên làm việc đã hết hạn. Những gì bạn đã nhập trên trang này vẫn được giữ: cứ bấm gửi biểu mẫu như thường, đăng nhập lại, rồi gửi tiếp với đúng các thông tin đã nhập. Đừng tải lại hay rời trang.',
  couldNotExtend:
    'Không gia hạn được: phiên đã hết hạn. Những gì bạn đã nhập vẫn được giữ khi gửi biểu mẫu và đăng nhập lại.',
};
