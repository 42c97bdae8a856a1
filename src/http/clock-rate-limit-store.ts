import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Clock } from '../lib/clock.js';

/**
 * express-rate-limit's fixed-window memory store, but reading time from our injected clock, so
 * windows open and close with the application's notion of "now" (and tests can move it).
 * Holds client keys in memory only, for one window at most: nothing is written to disk.
 */
export class ClockMemoryStore implements Store {
  localKeys = true;
  #windowMs = 60_000;
  readonly #hits = new Map<string, { totalHits: number; resetTime: Date }>();

  constructor(private readonly clock: Clock) {}

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  increment(key: string): ClientRateLimitInfo {
    const now = this.clock.now();
    let entry = this.#hits.get(key);
    if (!entry || entry.resetTime <= now) {
      this.#sweep(now);
      entry = { totalHits: 0, resetTime: new Date(now.getTime() + this.#windowMs) };
      this.#hits.set(key, entry);
    }
    entry.totalHits += 1;
    return { totalHits: entry.totalHits, resetTime: this.#asWallClock(entry.resetTime, now) };
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const now = this.clock.now();
    const entry = this.#hits.get(key);
    return entry && entry.resetTime > now ? { totalHits: entry.totalHits, resetTime: this.#asWallClock(entry.resetTime, now) } : undefined;
  }

  /**
   * The library compares resetTime with Date.now() (e.g. before undoing a skipped request), so
   * it gets "the same time left" expressed on the wall clock.
   */
  #asWallClock(resetTime: Date, now: Date): Date {
    return new Date(Date.now() + (resetTime.getTime() - now.getTime()));
  }

  decrement(key: string): void {
    const entry = this.#hits.get(key);
    if (entry && entry.totalHits > 0) entry.totalHits -= 1;
  }

  resetKey(key: string): void {
    this.#hits.delete(key);
  }

  resetAll(): void {
    this.#hits.clear();
  }

  #sweep(now: Date): void {
    if (this.#hits.size < 10_000) return;
    for (const [key, entry] of this.#hits) if (entry.resetTime <= now) this.#hits.delete(key);
  }
}
