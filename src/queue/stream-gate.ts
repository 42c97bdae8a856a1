/**
 * Who may open one more public event stream in this process (docs/SECURITY.md "The queue's
 * public pages"). Three kinds share the process's places:
 * - `display`: a call display registered with a display token; it may take any free place, and
 *   `reservedDisplays` places are kept for displays alone;
 * - `phone`: the phone page of a live ticket (today's, not over); it may take any place but the
 *   displays' reserve, and `reservedPhones` places are kept for phones;
 * - `public`: everybody else (an unregistered display, a script), at most `perClient` per
 *   client address, in what the two reserves leave.
 * A reserve is kept only while it is unused: displays beyond their reserve take free places
 * like anyone. Each key (a display token, a ticket, an address) has its own cap, so one client
 * holding thousands of sockets cannot keep a display or a citizen's phone of any office out.
 * Pure bookkeeping: no I/O, no clock.
 */
export type StreamKind = 'display' | 'phone' | 'public';

export interface StreamLimits {
  max: number;
  perClient: number;
  reservedDisplays: number;
  reservedPhones: number;
}

/** Streams one registered display token and one ticket may hold (a citizen's tabs, a hall's screens). */
export const STREAMS_PER_DISPLAY_TOKEN = 20;
export const STREAMS_PER_TICKET = 3;

export type Admission =
  { ok: true; release: () => void } | { ok: false; reason: 'client' | 'full' };

export class StreamGate {
  readonly #counts: Record<StreamKind, number> = { display: 0, phone: 0, public: 0 };
  readonly #perKey = new Map<string, number>();

  constructor(private readonly limits: StreamLimits) {}

  get total(): number {
    return this.#counts.display + this.#counts.phone + this.#counts.public;
  }

  count(kind: StreamKind): number {
    return this.#counts[kind];
  }

  /** Places a stream of this kind may still take: what is free, less the others' unused reserves. */
  room(kind: StreamKind): number {
    const { max, reservedDisplays, reservedPhones } = this.limits;
    const unusedDisplays = Math.max(0, reservedDisplays - this.#counts.display);
    const unusedPhones = Math.max(0, reservedPhones - this.#counts.phone);
    const free = max - this.total;
    if (kind === 'display') return free;
    if (kind === 'phone') return free - unusedDisplays;
    return free - unusedDisplays - unusedPhones;
  }

  /** One more stream for `key` (the display token's id, the ticket's id or the client address). */
  admit(kind: StreamKind, key: string): Admission {
    const cap =
      kind === 'display'
        ? STREAMS_PER_DISPLAY_TOKEN
        : kind === 'phone'
          ? STREAMS_PER_TICKET
          : this.limits.perClient;
    const slot = `${kind}:${key}`;
    const held = this.#perKey.get(slot) ?? 0;
    if (held >= cap) return { ok: false, reason: 'client' };
    if (this.room(kind) <= 0) return { ok: false, reason: 'full' };
    this.#perKey.set(slot, held + 1);
    this.#counts[kind]++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#counts[kind]--;
        const left = (this.#perKey.get(slot) ?? 1) - 1;
        if (left > 0) this.#perKey.set(slot, left);
        else this.#perKey.delete(slot);
      },
    };
  }
}
