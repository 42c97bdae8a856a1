import type { Clock } from '../lib/clock.js';

const HOUR_MS = 60 * 60 * 1000;

interface Window {
  count: number;
  resetAt: number;
}

/** Fixed one-hour windows of counts per key, on the injected clock; memory only, swept as it grows. */
class HourlyCounter {
  readonly #windows = new Map<string, Window>();
  constructor(private readonly clock: Clock) {}

  count(key: string): number {
    const w = this.#windows.get(key);
    return w && w.resetAt > this.clock.now().getTime() ? w.count : 0;
  }

  /** Adds one; returns the new count. */
  add(key: string): number {
    const now = this.clock.now().getTime();
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.#windows.size > 50_000) for (const [k, v] of this.#windows) if (v.resetAt <= now) this.#windows.delete(k);
      w = { count: 0, resetAt: now + HOUR_MS };
      this.#windows.set(key, w);
    }
    w.count += 1;
    return w.count;
  }

  secondsLeft(key: string): number {
    const w = this.#windows.get(key);
    return w ? Math.max(1, Math.ceil((w.resetAt - this.clock.now().getTime()) / 1000)) : 1;
  }
}

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Limits wrong lookups (docs/SECURITY.md). A client address that made too many misses in the hour
 * is refused outright; a (client, code) pair likewise, so one address cannot hammer one code. No
 * limit keyed on the code alone refuses anybody: that would let a stranger lock a citizen out of
 * their own dossier. Guessing one code from many addresses is answered by the key space, and such
 * a burst is reported (`onCodeUnderAttack`).
 */
export class LookupGuard {
  readonly #perClient: HourlyCounter;
  readonly #perClientCode: HourlyCounter;
  readonly #perCode: HourlyCounter;

  constructor(
    clock: Clock,
    private readonly limits: { clientMissesPerHour: number; clientCodeMissesPerHour: number; codeAlarmPerHour: number },
    private readonly onCodeUnderAttack: (code: string, misses: number) => void,
  ) {
    this.#perClient = new HourlyCounter(clock);
    this.#perClientCode = new HourlyCounter(clock);
    this.#perCode = new HourlyCounter(clock);
  }

  /** Whether this client may try this code now (checked before the key is). */
  check(client: string, code: string): GuardVerdict {
    const pair = `${client}\u0000${code}`;
    if (this.#perClient.count(client) >= this.limits.clientMissesPerHour) return { allowed: false, retryAfterSeconds: this.#perClient.secondsLeft(client) };
    if (this.#perClientCode.count(pair) >= this.limits.clientCodeMissesPerHour) return { allowed: false, retryAfterSeconds: this.#perClientCode.secondsLeft(pair) };
    return { allowed: true };
  }

  /** Counts a wrong key or unknown code. */
  miss(client: string, code: string): void {
    this.#perClient.add(client);
    this.#perClientCode.add(`${client}\u0000${code}`);
    const misses = this.#perCode.add(code);
    if (misses === this.limits.codeAlarmPerHour) this.onCodeUnderAttack(code, misses);
  }
}
