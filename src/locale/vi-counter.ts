/** Strings of the counter's working day (issue 28): plates, names, roles, corrections, sessions. */
export const viCounter = {
  plates: {
    kindPlate: { car: 'ô tô', motorbike: 'mô tô, xe gắn máy', e_bike: 'xe máy điện' } as Record<
      string,
      string
    >,
    ofOtherKind: (typed: string, plateKind: string, chosen: string) =>
      `Biển số ${typed} là biển số ${plateKind}, không khớp loại xe ${chosen} đã chọn: kiểm tra lại biển số hoặc loại xe.`,
    column: 'Biển số',
  },
};
