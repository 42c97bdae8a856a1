import type { AppContext } from '../context.js';
import { hitAndPeek, windowCounter, type WindowCounter } from '../http/rate-limit-store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The guard's counters (in memory or in the database, see http/rate-limit-store.ts). */
export interface GuardCounters {
  /** Every lookup per client address, per minute (the flood limit). */
  flood: WindowCounter;
  perClient: WindowCounter;
  perClientCode: WindowCounter;
  perCode: WindowCounter;
}

/**
 * Limits lookups (docs/SECURITY.md). Every lookup counts against its client address's flood
 * limit. A client address that made too many misses in the hour is refused outright; a (client,
 * code) pair likewise, so one address cannot hammer one code. No limit keyed on the code alone
 * refuses anybody: that would let a stranger lock a citizen out of their own dossier. Guessing one
 * code from many addresses is answered by the key space, and such a burst is reported
 * (`onCodeUnderAttack`).
 */
export class LookupGuard {
  constructor(
    private readonly counters: GuardCounters,
    private readonly now: () => number,
    private readonly limits: {
      floodPerMinute: number;
      clientMissesPerHour: number;
      clientCodeMissesPerHour: number;
      codeAlarmPerHour: number;
    },
    private readonly onCodeUnderAttack: (code: string, misses: number) => void,
  ) {}

  /**
   * One pass over the limits before a lookup (or, with no code, a request that is not one):
   * counts the request against the flood limit and reads the client's misses, in one round trip
   * when the counters are in the database.
   */
  async admit(client: string, code: string | null): Promise<GuardVerdict> {
    const c = this.counters;
    const { hit, peeked } = await hitAndPeek(
      { counter: c.flood, key: client },
      code === null
        ? []
        : [
            { counter: c.perClient, key: client },
            { counter: c.perClientCode, key: pair(client, code) },
          ],
    );
    const secondsLeft = (resetsAt: number) =>
      Math.max(1, Math.ceil((resetsAt - this.now()) / 1000));
    if (hit.hits > this.limits.floodPerMinute)
      return { allowed: false, retryAfterSeconds: secondsLeft(hit.resetsAt) };
    const [perClient, perPair] = peeked;
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

/**
 * The lookup's guard on its shared counters, as the configuration sets its limits: the status
 * page, its JSON twin and the result's download count against the same ones.
 */
export function lookupGuardOf(ctx: AppContext): LookupGuard {
  return new LookupGuard(
    {
      flood: windowCounter(ctx, 'lookup.flood', MINUTE),
      perClient: windowCounter(ctx, 'lookup.client_misses', HOUR),
      perClientCode: windowCounter(ctx, 'lookup.client_code_misses', HOUR),
      perCode: windowCounter(ctx, 'lookup.code_misses', HOUR),
    },
    () => ctx.clock.now().getTime(),
    {
      floodPerMinute: ctx.config.lookupRateLimitPerMin,
      clientMissesPerHour: ctx.config.lookupClientMissLimitPerHour,
      clientCodeMissesPerHour: ctx.config.lookupCodeRateLimitPerHour,
      codeAlarmPerHour: 100,
    },
    (code, misses) =>
      ctx.logger.warn({ code, misses }, 'many wrong lookup keys for one dossier code this hour'),
  );
}
