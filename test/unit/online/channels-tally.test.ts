import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, percentile } from '../../../src/lib/percentile.js';
import { addChannels, emptyChannelCounts, syncLagOf } from '../../../src/online/channels-tally.js';

describe('percentiles (linear between closest ranks, as percentile_cont)', () => {
  it('matches a hand-computed example', () => {
    // Sorted: 2 4 4 5 7 9 10 12 15 30 (n = 10).
    const lags = [10, 2, 30, 4, 7, 4, 15, 5, 12, 9];
    // Median: rank 0.5 × 9 = 4.5 → between 7 and 9 → 8.
    expect(median(lags)).toBe(8);
    // 90th: rank 0.9 × 9 = 8.1 → 15 + 0.1 × (30 − 15) = 16.5.
    expect(percentile(lags, 0.9)).toBeCloseTo(16.5, 10);
    expect(percentile(lags, 0)).toBe(2);
    expect(percentile(lags, 1)).toBe(30);
    expect(median([3])).toBe(3);
    expect(median([1, 2])).toBe(1.5);
    expect(median([])).toBeNull();
    expect(percentile([1], 1.5)).toBeNull();
  });

  it('lies between the smallest and largest value and grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          const a = percentile(values, lo)!;
          const b = percentile(values, hi)!;
          expect(a).toBeGreaterThanOrEqual(Math.min(...values));
          expect(b).toBeLessThanOrEqual(Math.max(...values));
          expect(a).toBeLessThanOrEqual(b + 1e-9);
        },
      ),
    );
  });
});

describe('the channels tally', () => {
  it('counts receiving and return channels and the online share', () => {
    const c = emptyChannelCounts();
    addChannels(c, { receiving_channel: 'counter', return_channel: 'counter', count: 5 });
    addChannels(c, { receiving_channel: 'online', return_channel: 'post', count: 2 });
    addChannels(c, { receiving_channel: 'post', return_channel: 'post', count: 1 });
    expect(c).toEqual({
      receiving: { counter: 5, online: 2, post: 1 },
      returning: { counter: 5, post: 3, online: 0 },
      total: 8,
      onlineShare: 0.25,
    });
    expect(emptyChannelCounts().onlineShare).toBeNull();
  });

  it('measures the sync lag of the rows sent, counts those not sent', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 2, 10, 2, 0, s)).toISOString();
    const rows = [
      { created_at: at(0), sent_at: at(1) },
      { created_at: at(0), sent_at: at(3) },
      { created_at: at(10), sent_at: at(20) },
      { created_at: at(10), sent_at: null },
    ];
    // Lags 1, 3, 10: median 3; 90th: rank 1.8 → 3 + 0.8 × 7 = 8.6.
    expect(syncLagOf(rows, 2)).toEqual({
      changes: 4,
      sent: 3,
      unsent: 1,
      medianSeconds: 3,
      p90Seconds: 8.6,
      failing: 2,
    });
    expect(syncLagOf([], 0)).toMatchObject({ medianSeconds: null, p90Seconds: null });
  });
});
