import { createHmac } from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import {
  countHit,
  countHitAndFindWindows,
  deleteEndedWindows,
  deleteWindows,
  findWindow,
  uncountHit,
  type WindowCount,
} from '../db/shared-state.js';
import type { Clock } from '../lib/clock.js';

/**
 * Fixed windows of hits per key, on the injected clock (windows open and close with the app's
 * notion of "now", and tests can move it). Two homes: this process's memory, for one process,
 * or the database (rate_limit_windows) when several processes must share the counts
 * (SHARED_STATE, docs/ARCHITECTURE.md). In the database a key is stored as a keyed hash, so no
 * client address is written anywhere.
 */
export interface WindowCounter {
  /** Counts one hit; the window's hits including it, and when it resets. */
  hit(key: string): Promise<WindowCount>;
  /** The open window, if any. */
  peek(key: string): Promise<WindowCount | undefined>;
  /** Takes one hit back (a request the limiter decided not to count after all). */
  undo(key: string): Promise<void>;
  reset(key?: string): Promise<void>;
}

export class MemoryWindowCounter implements WindowCounter {
  readonly #windows = new Map<string, WindowCount>();
  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  async hit(key: string): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    let w = this.#windows.get(key);
    if (!w || w.resetsAt <= now) {
      if (this.#windows.size > 50_000)
        for (const [k, v] of this.#windows) if (v.resetsAt <= now) this.#windows.delete(k);
      w = { hits: 0, resetsAt: now + this.windowMs };
      this.#windows.set(key, w);
    }
    w.hits += 1;
    return { ...w };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const w = this.#windows.get(key);
    return w && w.resetsAt > this.clock.now().getTime() ? { ...w } : undefined;
  }

  async undo(key: string): Promise<void> {
    const w = this.#windows.get(key);
    if (w && w.hits > 0) w.hits -= 1;
  }

  async reset(key?: string): Promise<void> {
    if (key === undefined) this.#windows.clear();
    else this.#windows.delete(key);
  }
}

const SWEEP_EVERY = 1_000;

export class DatabaseWindowCounter implements WindowCounter {
  #hitsSinceSweep = 0;
  constructor(
    readonly db: Db,
    private readonly clock: Clock,
    private readonly bucket: string,
    private readonly windowMs: number,
    private readonly secret: string,
  ) {}

  /** See hitAndPeek: this counter's hit and the other counters' windows, in one round trip. */
  async hitAndPeek(
    key: string,
    peeks: { counter: DatabaseWindowCounter; key: string }[],
  ): Promise<{ hit: WindowCount; peeked: (WindowCount | undefined)[] }> {
    const now = this.clock.now().getTime();
    await this.#sweepNow(now);
    return countHitAndFindWindows(
      this.db,
      { bucket: this.bucket, keyHash: this.#hash(key), windowMs: this.windowMs },
      peeks.map((p) => ({ bucket: p.counter.bucket, keyHash: p.counter.#hash(p.key) })),
      now,
    );
  }

  async #sweepNow(now: number): Promise<void> {
    if (++this.#hitsSinceSweep >= SWEEP_EVERY) {
      this.#hitsSinceSweep = 0;
      // Ended a day ago: no window reads it any more.
      await deleteEndedWindows(this.db, now - 24 * 60 * 60 * 1000);
    }
  }

  #hash(key: string): string {
    return createHmac('sha256', this.secret)
      .update(`${this.bucket}:${key}`)
      .digest('hex')
      .slice(0, 32);
  }

  async hit(key: string): Promise<WindowCount> {
    const h = await this.hitToCount(key);
    return countHit(this.db, h.bucket, h.keyHash, h.nowMs, h.windowMs);
  }

  /**
   * What `hit(key)` counts, for a statement that counts it beside its own work in one round
   * trip (`countHitIn`, db/shared-state.ts), on this counter's database.
   */
  async hitToCount(
    key: string,
  ): Promise<{ bucket: string; keyHash: string; nowMs: number; windowMs: number }> {
    const nowMs = this.clock.now().getTime();
    await this.#sweepNow(nowMs);
    return { bucket: this.bucket, keyHash: this.#hash(key), nowMs, windowMs: this.windowMs };
  }

  peek(key: string): Promise<WindowCount | undefined> {
    return findWindow(this.db, this.bucket, this.#hash(key), this.clock.now().getTime());
  }

  undo(key: string): Promise<void> {
    return uncountHit(this.db, this.bucket, this.#hash(key));
  }

  reset(key?: string): Promise<void> {
    return deleteWindows(this.db, this.bucket, key === undefined ? undefined : this.#hash(key));
  }
}

/**
 * Counts a hit on one counter and reads the open windows of others, in one pass: in the database
 * one statement on PostgreSQL (db/shared-state.ts), in memory a few map lookups.
 */
export async function hitAndPeek(
  hit: { counter: WindowCounter; key: string },
  peeks: { counter: WindowCounter; key: string }[],
): Promise<{ hit: WindowCount; peeked: (WindowCount | undefined)[] }> {
  const counter = hit.counter;
  if (
    counter instanceof DatabaseWindowCounter &&
    peeks.every((p) => p.counter instanceof DatabaseWindowCounter && p.counter.db === counter.db)
  ) {
    return counter.hitAndPeek(
      hit.key,
      peeks.map((p) => ({ counter: p.counter as DatabaseWindowCounter, key: p.key })),
    );
  }
  const [counted, ...peeked] = await Promise.all([
    counter.hit(hit.key),
    ...peeks.map((p) => p.counter.peek(p.key)),
  ]);
  return { hit: counted as WindowCount, peeked };
}

/** The counter for `bucket` where this installation keeps shared state. */
export function windowCounter(ctx: AppContext, bucket: string, windowMs: number): WindowCounter {
  return ctx.config.sharedState === 'database'
    ? new DatabaseWindowCounter(ctx.stateDb, ctx.clock, bucket, windowMs, ctx.config.sessionSecret)
    : new MemoryWindowCounter(ctx.clock, windowMs);
}

/** express-rate-limit's Store over a WindowCounter (the library's own window length is ignored: ours is set). */
export class CounterStore implements Store {
  localKeys: boolean;
  constructor(
    private readonly counter: WindowCounter,
    private readonly clock: Clock,
  ) {
    this.localKeys = counter instanceof MemoryWindowCounter;
  }

  init(_options: Options): void {}

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const w = this.#takeCounted(key) ?? (await this.counter.hit(key));
    return { totalHits: w.hits, resetTime: this.#asWallClock(w.resetsAt) };
  }

  /** Hits counted by another statement (`hitToCount`), each answering one `increment(key)`. */
  readonly #counted = new Map<string, WindowCount[]>();

  /**
   * A hit of `key` already counted, whose window the next `increment(key)` answers with instead
   * of counting again. The caller is on its way to that increment (no I/O between).
   */
  counted(key: string, window: WindowCount): void {
    if (this.#counted.size > 10_000) this.#counted.clear(); // a request that never got there
    const queue = this.#counted.get(key);
    if (queue) queue.push(window);
    else this.#counted.set(key, [window]);
  }

  #takeCounted(key: string): WindowCount | undefined {
    const queue = this.#counted.get(key);
    const window = queue?.shift();
    if (queue && queue.length === 0) this.#counted.delete(key);
    return window;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const w = await this.counter.peek(key);
    return w ? { totalHits: w.hits, resetTime: this.#asWallClock(w.resetsAt) } : undefined;
  }

  /**
   * The library compares resetTime with Date.now() (e.g. before undoing a skipped request), so
   * it gets "the same time left" expressed on the wall clock.
   */
  #asWallClock(resetsAt: number): Date {
    return new Date(Date.now() + (resetsAt - this.clock.now().getTime()));
  }

  decrement(key: string): Promise<void> {
    return this.counter.undo(key);
  }

  resetKey(key: string): Promise<void> {
    return this.counter.reset(key);
  }

  resetAll(): Promise<void> {
    return this.counter.reset();
  }
}

/** A store for express-rate-limit in this installation's shared-state home. */
export function rateLimitStore(ctx: AppContext, bucket: string, windowMs: number): Store {
  return new CounterStore(windowCounter(ctx, bucket, windowMs), ctx.clock);
}
