import type { Logger } from 'pino';
import type { QueueSnapshot } from './queue-snapshot.service.js';
import { StreamGate, type Admission, type StreamKind, type StreamLimits } from './stream-gate.js';

type Listener = (snapshot: QueueSnapshot) => void;

export interface QueueHubSources {
  /** The office's queue as the screens show it. */
  load(officeId: number): Promise<QueueSnapshot>;
  /** Offices with queue events after an id, and the newest id. */
  changedAfter(afterId: number): Promise<{ officeIds: number[]; lastId: number }>;
  lastId(): Promise<number>;
}

/**
 * Fans the queue's changes out to the connected call displays and phone pages (server-sent
 * events). The database's journal of queue events is the one source: a change made in this
 * process pokes the hub to look at once, and a change made by another worker or server is seen
 * at the next poll (a quarter of a second), so a screen connected to any worker hears every
 * call. One snapshot per office and change is built and shared by all its listeners, so a
 * hundred screens cost one set of queries, not a hundred. Polling runs only while someone listens.
 */
export class QueueHub {
  readonly #listeners = new Map<number, Set<Listener>>();
  readonly #latest = new Map<number, Promise<QueueSnapshot>>();
  /** Offices nobody listens to: a snapshot is reused for a second (a kiosk's burst, the API). */
  readonly #recent = new Map<number, { until: number; value: Promise<QueueSnapshot> }>();
  readonly #closers = new Set<() => void>();
  #lastId: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #again = false;
  /** The streams are public: who may open one more in this process (stream-gate.ts). */
  readonly #gate: StreamGate;

  constructor(
    private readonly sources: QueueHubSources,
    private readonly logger: Logger,
    private readonly options: {
      intervalMs?: number;
      reuseMs?: number;
      streams?: StreamLimits;
    } = {},
  ) {
    this.#gate = new StreamGate(
      options.streams ?? { max: 5000, perClient: 10, reservedDisplays: 100, reservedPhones: 1000 },
    );
  }

  /** A place for one more stream of this kind and key, or why not (the caller answers "busy"). */
  admit(kind: StreamKind, key: string): Admission {
    return this.#gate.admit(kind, key);
  }

  /** Open streams per kind (the health page and the tests read them). */
  get streams(): Record<StreamKind, number> {
    return {
      display: this.#gate.count('display'),
      phone: this.#gate.count('phone'),
      public: this.#gate.count('public'),
    };
  }

  /** The office's current snapshot (shared while nothing changes). */
  snapshot(officeId: number): Promise<QueueSnapshot> {
    // While the office has listeners the polls keep its snapshot fresh; otherwise it lives a second.
    if (!this.#listeners.has(officeId)) {
      const now = Date.now();
      const recent = this.#recent.get(officeId);
      if (recent && recent.until > now) return recent.value;
      if (this.#recent.size > 1000) this.#recent.clear();
      const value = this.sources.load(officeId);
      value.catch(() => this.#recent.delete(officeId));
      this.#recent.set(officeId, { until: now + (this.options.reuseMs ?? 1000), value });
      return value;
    }
    let latest = this.#latest.get(officeId);
    if (!latest) {
      latest = this.sources.load(officeId);
      latest.catch(() => this.#latest.delete(officeId));
      this.#latest.set(officeId, latest);
    }
    return latest;
  }

  /**
   * Listens to an office; `close` is called when the hub shuts down. Resolves (with the
   * unsubscribe) once the journal's position is known: a snapshot read after that misses nothing.
   */
  async subscribe(officeId: number, listener: Listener, close: () => void): Promise<() => void> {
    if (this.#lastId === null) this.#lastId = await this.sources.lastId();
    let set = this.#listeners.get(officeId);
    if (!set) this.#listeners.set(officeId, (set = new Set()));
    set.add(listener);
    this.#closers.add(close);
    this.#start();
    return () => {
      set.delete(listener);
      this.#closers.delete(close);
      if (set.size === 0) {
        this.#listeners.delete(officeId);
        this.#latest.delete(officeId);
      }
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /**
   * A change was committed here: look now rather than at the next tick. A change of the order
   * (a call, a transfer) drops the office's reused snapshot; a new ticket need not, since
   * `standingIn` places a ticket newer than the snapshot (a burst of tickets then costs one load a second).
   */
  poke(officeId?: number, orderChanged = true): void {
    if (officeId === undefined) this.#recent.clear();
    else if (orderChanged) this.#recent.delete(officeId);
    if (this.#listeners.size > 0) void this.#poll();
  }

  /** Ends every stream (server shutdown): a display then reconnects to another worker. */
  closeAll(): void {
    for (const close of [...this.#closers]) close();
    this.#stop();
  }

  #start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#poll(), this.options.intervalMs ?? 250);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#lastId = null;
    this.#latest.clear();
  }

  #poll(): Promise<void> {
    // One poll at a time; a poke during a poll runs one more right after it.
    if (this.#polling) {
      this.#again = true;
      return this.#polling;
    }
    this.#polling = this.#check()
      .catch((err) => this.logger.warn({ err }, 'queue display poll failed'))
      .finally(() => {
        this.#polling = null;
        if (this.#again) {
          this.#again = false;
          void this.#poll();
        }
      });
    return this.#polling;
  }

  async #check(): Promise<void> {
    if (this.#lastId === null) return;
    const { officeIds, lastId } = await this.sources.changedAfter(this.#lastId);
    this.#lastId = lastId;
    for (const officeId of officeIds) {
      const listeners = this.#listeners.get(officeId);
      this.#latest.delete(officeId);
      if (!listeners?.size) continue;
      const snapshot = await this.snapshot(officeId);
      for (const listener of [...listeners]) {
        try {
          listener(snapshot);
        } catch (err) {
          this.logger.warn({ err }, 'queue listener failed');
        }
      }
    }
  }
}
