import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import client from 'prom-client';
import type { BuildInfo } from '../lib/build-info.js';

/**
 * What an operator watches (docs/OPERATIONS.md), in the Prometheus text format through
 * prom-client: requests per route pattern and status, database statement time, the Node.js
 * process (event-loop lag, heap, GC, CPU), the outbox, the queue's event streams and waiting
 * tickets, login failures, rate-limit refusals, and the build.
 *
 * One registry per AppContext (tests build many in one process). Per request the cost is one
 * `performance.now()` and one histogram observation when the response ends; figures that need the
 * database are read when Prometheus scrapes, through a short cache, never per request.
 */

/** Readings of other features, taken at scrape time (wired in context.ts). */
export interface MetricSources {
  /** Messages waiting to be sent that are due, per channel, and the due time of the oldest. */
  outbox(): Promise<{ channel: string; depth: number; oldestDueAt: string | null }[]>;
  /** Tickets waiting today, per office code. */
  waitingTickets(): Promise<{ office: string; waiting: number }[]>;
  /** Server-sent event streams open in this process (call displays, phone pages). */
  openStreams(): number;
  now(): Date;
}

export const OUTBOX_CHANNELS = ['sms', 'zalo', 'email', 'log'] as const;
/** How long a database reading is reused between scrapes (several Prometheus servers, cluster workers). */
const READING_TTL_MS = 5_000;

/**
 * A reading shared while fresh (and while in flight), so a burst of scrapes costs one query. Fresh
 * on the injected clock, as every other instant of the app.
 */
class CachedReading<T> {
  #value: Promise<T> | null = null;
  #until = 0;
  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
  ) {}

  get(): Promise<T> {
    const now = this.clock().getTime();
    if (!this.#value || this.#until <= now) {
      this.#until = now + this.ttlMs;
      const value = this.read();
      value.catch(() => {
        if (this.#value === value) this.#until = 0; // a failed reading is not kept
      });
      this.#value = value;
    }
    return this.#value;
  }
}

const STATEMENT_KINDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin']);

/** The first word of a statement, for the statement-time label (a few values only). */
export function statementKind(sql: string): string {
  const word = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  if (STATEMENT_KINDS.has(word)) return word === 'with' ? 'select' : word;
  if (word === 'commit' || word === 'rollback' || word === 'savepoint' || word === 'release')
    return 'transaction';
  return 'other';
}

export class Metrics {
  readonly registry = new client.Registry();
  #processMetrics = false;
  /** Set in a cluster worker: reads the metrics of every worker (cluster-metrics.ts). */
  #gather: (() => Promise<string>) | null = null;

  readonly httpDuration = new client.Histogram({
    name: 'motcua_http_request_duration_seconds',
    help: 'Time from the request to the end of its response, per route pattern, method and status (its _count is the number of requests).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly statementDuration = new client.Histogram({
    name: 'motcua_db_statement_duration_seconds',
    help: 'Time of each database statement as Kysely runs it, per kind (select, insert, update, delete, begin, transaction, other).',
    labelNames: ['kind'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });

  readonly groupCommitBatch = new client.Histogram({
    name: 'motcua_group_commit_batch_units',
    help: 'Units of work committed together in one transaction by group commit: intakes and queue tickets on SQLite, intakes on PostgreSQL (a batch rolled back for a failed unit counts once, then each of its units once).',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly loginFailures = new client.Counter({
    name: 'motcua_login_failures_total',
    help: 'Refused logins on the login page, per reason (refused: unknown user, wrong password or locked; inactive; incomplete form).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new client.Counter({
    name: 'motcua_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit (answered 429), per route pattern.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  constructor(
    build: BuildInfo & { engine: string },
    private readonly sources: MetricSources,
  ) {
    new client.Gauge({
      name: 'motcua_build_info',
      help: 'The running build: version, commit (unknown when not known), database engine, Node.js version. Always 1.',
      labelNames: ['version', 'commit', 'engine', 'node'] as const,
      registers: [this.registry],
      aggregator: 'first',
    }).set(
      { version: build.version, commit: build.commit, engine: build.engine, node: process.version },
      1,
    );

    const outbox = new CachedReading(() => sources.outbox(), READING_TTL_MS, sources.now);
    const tickets = new CachedReading(() => sources.waitingTickets(), READING_TTL_MS, sources.now);
    new client.Gauge({
      name: 'motcua_outbox_depth',
      help: 'Messages to citizens that are due and not yet sent (queued, waiting for a retry, or being sent), per channel.',
      labelNames: ['channel'] as const,
      registers: [this.registry],
      aggregator: 'max', // every worker reads the same database
      async collect() {
        const rows = await outbox.get();
        for (const channel of OUTBOX_CHANNELS)
          this.set({ channel }, rows.find((r) => r.channel === channel)?.depth ?? 0);
      },
    });
    new client.Gauge({
      name: 'motcua_outbox_oldest_age_seconds',
      help: 'How long the oldest due, unsent message of each channel has been due (0 when none waits).',
      labelNames: ['channel'] as const,
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        const rows = await outbox.get();
        const now = sources.now().getTime();
        for (const channel of OUTBOX_CHANNELS) {
          const oldest = rows.find((r) => r.channel === channel)?.oldestDueAt;
          this.set({ channel }, oldest ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0);
        }
      },
    });
    new client.Gauge({
      name: 'motcua_queue_tickets_waiting',
      help: 'Queue tickets of today still waiting to be called, per office code.',
      labelNames: ['office'] as const,
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        const rows = await tickets.get();
        this.reset();
        for (const r of rows) this.set({ office: r.office }, r.waiting);
      },
    });
    new client.Gauge({
      name: 'motcua_event_streams_open',
      help: 'Server-sent event streams open (call displays and phone pages), summed over the processes.',
      registers: [this.registry],
      collect() {
        this.set(sources.openStreams());
      },
    });
  }

  /**
   * The process's own figures (event-loop lag, heap, GC, CPU, file descriptors) under their
   * standard names. Started with the server (main.ts) or at the first scrape, so a test app that
   * is never scraped starts no event-loop monitor.
   */
  startProcessMetrics(): void {
    if (this.#processMetrics) return;
    this.#processMetrics = true;
    client.collectDefaultMetrics({ register: this.registry });
  }

  /** Scrapes answer with every worker's figures (WEB_CONCURRENCY > 1), gathered by `read`. */
  gatherWith(read: () => Promise<string>): void {
    this.#gather = read;
  }

  /** The Prometheus text: this process's, or the whole cluster's. */
  async text(): Promise<string> {
    this.startProcessMetrics();
    return this.#gather ? this.#gather() : this.registry.metrics();
  }

  /** One physical transaction of group commit (SQLite), with how many units it carried. */
  observeGroupCommit(units: number): void {
    this.groupCommitBatch.observe(units);
  }

  observeStatement(kind: string, milliseconds: number): void {
    this.statementDuration.observe({ kind }, milliseconds / 1000);
  }

  /**
   * Times a finished request by its route pattern (never the raw URL, which carries codes and ID
   * numbers). Called by the request observer (src/http/request-logger.ts), which also logs it.
   */
  observeRequest(method: string, route: string, res: ServerResponse, milliseconds: number): void {
    // An event stream lives as long as its screen: counted by motcua_event_streams_open instead.
    const type = res.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/event-stream')) return;
    const status = res.statusCode;
    this.httpDuration.observe({ method, route, status }, milliseconds / 1000);
    if (status === 429) this.rateLimitRefusals.inc({ route });
  }
}

/** The Express route pattern that answered (`/ho-so/:id`), `/public/*` for files, or `unmatched`. */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  if (req.baseUrl === '/public') return '/public/*';
  return 'unmatched';
}
