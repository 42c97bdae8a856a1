import { describe, expect, it } from 'vitest';
import { CounterStore, MemoryWindowCounter } from '../../src/http/rate-limit-store.js';
import { FixedClock } from '../../src/lib/clock.js';

/**
 * express-rate-limit's store over our window counters. A hit already counted by another
 * statement (a token's write, counted with the token's lookup) answers the next increment of its
 * key once, instead of being counted again.
 */
const setup = () => {
  const clock = new FixedClock('2026-03-10T02:00:00Z');
  const counter = new MemoryWindowCounter(clock, 60_000);
  return { clock, counter, store: new CounterStore(counter, clock) };
};

describe('CounterStore', () => {
  it('counts each increment in its window', async () => {
    const { store } = setup();
    expect((await store.increment('k')).totalHits).toBe(1);
    expect((await store.increment('k')).totalHits).toBe(2);
    expect((await store.increment('other')).totalHits).toBe(1);
  });

  it('answers an increment with a window counted elsewhere, once, then counts again', async () => {
    const { store, counter } = setup();
    const resetsAt = new Date('2026-03-10T02:01:00Z').getTime();
    store.counted('k', { hits: 7, resetsAt });
    const answered = await store.increment('k');
    expect(answered.totalHits).toBe(7);
    // Not counted a second time in the counter.
    expect(await counter.peek('k')).toBeUndefined();
    expect((await store.increment('k')).totalHits).toBe(1);
  });

  it('answers concurrent requests of one key in the order their hits were counted', async () => {
    const { store } = setup();
    store.counted('k', { hits: 3, resetsAt: Date.now() + 60_000 });
    store.counted('k', { hits: 4, resetsAt: Date.now() + 60_000 });
    expect((await store.increment('k')).totalHits).toBe(3);
    expect((await store.increment('k')).totalHits).toBe(4);
    expect((await store.increment('k')).totalHits).toBe(1);
  });

  it('forgets counted windows nobody came for once there are too many', async () => {
    const { store } = setup();
    for (let i = 0; i <= 10_000; i++) store.counted(`k${i}`, { hits: 99, resetsAt: 0 });
    store.counted('last', { hits: 5, resetsAt: 0 });
    expect((await store.increment('k1')).totalHits).toBe(1);
    expect((await store.increment('last')).totalHits).toBe(5);
  });
});
