import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { insertLookupEvents } from './lookup.repository.js';

export interface LookupEvent {
  at: string;
  code: string;
  hit: boolean;
  channel: 'page' | 'api';
}

/**
 * Citizen lookups are counted, but a count does not need a commit (and an fsync) of its own per
 * page view: events wait in memory and are written in one transaction every second, or sooner
 * when many are waiting, and on shutdown. A crash loses at most a second of counts, never a
 * dossier.
 */
export class LookupEventBuffer {
  #pending: LookupEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly maxPending = 500,
    private readonly intervalMs = 1000,
  ) {}

  record(event: LookupEvent): void {
    this.#pending.push(event);
    if (this.#pending.length >= this.maxPending) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Writes what is waiting; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() =>
      insertLookupEvents(this.db, batch).catch((err) =>
        this.logger.error({ err, lost: batch.length }, 'could not write lookup counts'),
      ),
    );
    return this.#flushing;
  }
}
