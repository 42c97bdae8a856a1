import { median, percentile } from '../lib/percentile.js';

/**
 * The channels report's figures from its rows (docs/DOMAIN.md "Reports by channel"): dossiers
 * per receiving channel (counter / online / post) and per return channel, the online share, and
 * per office the portal sync's lag (seconds from a change written to its arrival on the
 * portal: median, 90th percentile), the changes not sent yet and the dossiers failing. Pure.
 */
export const RECEIVING = ['counter', 'online', 'post'] as const;
export const RETURNING = ['counter', 'post', 'online'] as const;

export interface ChannelCounts {
  receiving: Record<(typeof RECEIVING)[number], number>;
  returning: Record<(typeof RETURNING)[number], number>;
  total: number;
  /** Online dossiers among all received (0..1), null when none were received. */
  onlineShare: number | null;
}

export interface SyncLag {
  changes: number;
  sent: number;
  unsent: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  failing: number;
}

export function emptyChannelCounts(): ChannelCounts {
  return {
    receiving: { counter: 0, online: 0, post: 0 },
    returning: { counter: 0, post: 0, online: 0 },
    total: 0,
    onlineShare: null,
  };
}

/** Adds a group of dossiers to the counts (an unknown channel counts in the total only). */
export function addChannels(
  c: ChannelCounts,
  row: { receiving_channel: string; return_channel: string; count: number },
): void {
  if (row.receiving_channel in c.receiving)
    c.receiving[row.receiving_channel as keyof ChannelCounts['receiving']] += row.count;
  if (row.return_channel in c.returning)
    c.returning[row.return_channel as keyof ChannelCounts['returning']] += row.count;
  c.total += row.count;
  c.onlineShare = c.total ? c.receiving.online / c.total : null;
}

/** Seconds rounded to a tenth, so a figure reads the same in every export. */
const tenth = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The lag of one office's sync rows of the period, and its failing streams now. */
export function syncLagOf(
  rows: readonly { created_at: string; sent_at: string | null }[],
  failing: number,
): SyncLag {
  const lags = rows
    .filter((r) => r.sent_at !== null)
    .map((r) => Math.max(0, (Date.parse(r.sent_at!) - Date.parse(r.created_at)) / 1000));
  return {
    changes: rows.length,
    sent: lags.length,
    unsent: rows.length - lags.length,
    medianSeconds: tenth(median(lags)),
    p90Seconds: tenth(percentile(lags, 0.9)),
    failing,
  };
}
