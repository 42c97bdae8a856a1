import type { WindowCounter } from '../http/rate-limit-store.js';

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The guard's three hourly counters (in memory or in the database, see http/rate-limit-store.ts). */
export interface GuardCounters {
  perClient: WindowCounter;
  perClientCode: WindowCounter;
  perCode: WindowCounter;
}

/**
 * Limits wrong lookups (docs/SECURITY.md). A client address that made too many misses in the hour
 * is refused outright; a (client, code) pair likewise, so one address cannot hammer one code. No
 * limit keyed on the code alone refuses anybody: that would let a stranger lock a citizen out of
 * their own dossier. Guessing one code from many addresses is answered by the key space, and such
 * a burst is reported (`onCodeUnderAttack`).
 */
export class LookupGuard {
  constructor(
    private readonly counters: GuardCounters,
    private readonly now: () => number,
    private readonly limits: {
      clientMissesPerHour: number;
      clientCodeMissesPerHour: number;
      codeAlarmPerHour: number;
    },
    private readonly onCodeUnderAttack: (code: string, misses: number) => void,
  ) {}

  /** Whether this client may try this code now (checked before the key is). */
  async check(client: string, code: string): Promise<GuardVerdict> {
    const [perClient, perPair] = await Promise.all([
      this.counters.perClient.peek(client),
      this.counters.perClientCode.peek(pair(client, code)),
    ]);
    const secondsLeft = (resetsAt: number) =>
      Math.max(1, Math.ceil((resetsAt - this.now()) / 1000));
    if (perClient && perClient.hits >= this.limits.clientMissesPerHour)
      return { allowed: false, retryAfterSeconds: secondsLeft(perClient.resetsAt) };
    if (perPair && perPair.hits >= this.limits.clientCodeMissesPerHour)
      return { allowed: false, retryAfterSeconds: secondsLeft(perPair.resetsAt) };
    return { allowed: true };
  }

  /** Counts a wrong key or unknown code. */
  async miss(client: string, code: string): Promise<void> {
    const [, , perCode] = await Promise.all([
      this.counters.perClient.hit(client),
      this.counters.perClientCode.hit(pair(client, code)),
      this.counters.perCode.hit(code),
    ]);
    if (perCode.hits === this.limits.codeAlarmPerHour) this.onCodeUnderAttack(code, perCode.hits);
  }
}

function pair(client: string, code: string): string {
  return `${client}\u0000${code}`;
}
