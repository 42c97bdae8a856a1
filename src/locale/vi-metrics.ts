/** Operations: metrics and readiness (src/metrics, src/health). */
export const viMetrics = {
  refused:
    'Số liệu vận hành chỉ mở cho máy giám sát: gửi kèm mã truy cập (METRICS_TOKEN) hoặc truy cập từ chính máy chủ.',
} as const;
