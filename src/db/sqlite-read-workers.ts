import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './database.js';
import { translateSqliteError } from './errors.js';
import { statementLog, type StatementObserver } from './statement-log.js';
import { WORKER_SOURCE } from './sqlite-read-worker-source.js';

/**
 * Read-only SQLite connections on worker threads, for the reports and exports (docs/DECISIONS.md
 * "Reports read on worker threads"). better-sqlite3 runs a statement on the thread that calls it,
 * so the one connection of the process ran a report's thirty-odd statements one after the other
 * on the event loop, however the report awaited them together. Here each worker thread holds its
 * own read-only connection to the same file (WAL lets readers run beside the writer and beside
 * each other), a statement goes to the first worker that is free, and the statements a
 * report awaits together run on as many cores. While they run, the event loop serves requests.
 *
 * Each statement is its own read transaction, as on the main connection outside a transaction:
 * it sees every commit made before it started. There are no transactions here (reads only).
 *
 * An export can also have a worker encode the rows it reads (readAndEncodeOnWorkers): the
 * bytes come back instead of the rows, and the event loop only writes them.
 *
 * The worker's code (sqlite-read-worker-source.ts) is a string evaluated by Node; it loads the
 * same better-sqlite3 the process loaded, by its resolved path.
 */

interface Reply {
  id: number;
  rows?: unknown[];
  /** A read's rows as JSON text of arrays, and their column names unless arrays were asked for. */
  json?: string;
  columns?: string[];
  bytes?: Uint8Array;
  count?: number;
  crc?: number;
  size?: number;
  last?: unknown[] | null;
  done?: boolean;
  changes?: number;
  lastInsertRowid?: number | bigint;
  error?: { message: string; code?: string; name?: string };
  /** A statement the pool took back before this worker started it. */
  skipped?: boolean;
}

/** An error of SQLite in a worker, with its code (SQLITE_…) as better-sqlite3 gives it. */
export class ReadWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

interface Job {
  message: Record<string, unknown>;
  /** The worker that must run it (a stream's next chunk), or any. */
  bound: ReadWorker | null;
  resolve: (answer: { reply: Reply; worker: ReadWorker }) => void;
  reject: (error: Error) => void;
  /** Its slot in the claims when it waits in a busy worker's own queue (see ReadWorkerPool). */
  slot?: number;
  /** Taken back by the pool for an idle worker: the busy one's answer (skipped) is dropped. */
  stolen?: boolean;
}

/** What the workers share with the pool (see ReadWorkerPool). */
interface WorkerOptions {
  file: string;
  cacheSize: number;
  driver: string;
  claims: SharedArrayBuffer;
}

/**
 * Whether a job may wait in a worker's own queue behind another: a plain statement behind plain
 * statements. A stream's chunks and an export's pages are long or bound to their worker, and a
 * module's import is awaited on the worker (a message after it could be answered first).
 */
const queueable = (job: Job): boolean => job.bound === null && job.message.kind === 'query';

/** How many statements a worker holds at once: the one it runs and the next. */
const PIPELINE = 2;
/** Claim slots, used in turn: far more than statements can wait in the workers' queues at once. */
const SLOTS = 1024;

/** One worker thread, answering its messages in order; started on first use, again after a crash. */
class ReadWorker {
  #worker: Worker | null = null;
  /** The jobs posted to the thread, in the order it answers them. */
  #jobs: Job[] = [];
  #nextId = 1;

  constructor(
    private readonly options: WorkerOptions,
    private readonly onIdle: () => void,
  ) {}

  get busy(): boolean {
    return this.#jobs.some((j) => !j.stolen);
  }

  /** Whether `job` may be posted now: the thread is idle, or runs statements only and has room. */
  accepts(job: Job): boolean {
    const live = this.#jobs.filter((j) => !j.stolen);
    if (live.length === 0) return true;
    return live.length < PIPELINE && queueable(job) && live.every(queueable);
  }

  /** The statements waiting in this thread's queue, not started yet as far as the pool knows. */
  get waiting(): Job[] {
    return this.#jobs.slice(1).filter((j) => j.slot !== undefined && !j.stolen);
  }

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: this.options,
      // V8's default young generation filled with an export's garbage and stayed resident: 16 MB
      // took about 35 MB off the exporting server's peak, at the same speed (docs/DECISIONS.md).
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const job = this.#finish(worker);
      if (!job || job.stolen) return;
      if (reply.error)
        job.reject(
          translateSqliteError(new ReadWorkerError(reply.error.message, reply.error.code)) as Error,
        );
      else job.resolve({ reply, worker: this });
      this.onIdle();
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      const jobs = this.#jobs.splice(0).filter((j) => !j.stolen);
      worker.unref();
      for (const job of jobs) job.reject(error);
      if (jobs.length > 0) this.onIdle();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the read worker stopped (exit code ${code})`)));
    return worker;
  }

  #finish(worker: Worker): Job | null {
    const job = this.#jobs.shift() ?? null;
    if (this.#jobs.length === 0) worker.unref(); // an idle worker does not keep the process alive
    return job;
  }

  execute(job: Job, slot?: number): void {
    this.#worker ??= this.#start();
    this.#jobs.push(slot === undefined ? job : { ...job, slot });
    this.#worker.ref(); // an answer awaited does
    this.#worker.postMessage({ ...job.message, id: this.#nextId++, claim: slot });
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}

/**
 * The workers and one queue. A job goes to the first idle worker, so a long statement holds up
 * no other. When every worker is busy, a statement is also posted to a worker running one, to
 * wait in its own queue: posting to a thread asleep wakes it, and on a busy machine the waker is
 * then often pre-empted inside `postMessage` (about 135 µs a post for the month report,
 * docs/BENCHMARKS.md), and the worker goes on to the next statement without waiting for the
 * event loop to hand it one. Such a statement carries a claim slot, shared with the workers: the
 * worker takes it (0 → 1) before it runs it, and when another worker falls idle first the pool
 * takes it back (0 → 2) and gives it to that one; the first worker then answers "skipped". So
 * a short statement never waits behind a long one while a worker is free.
 */
class ReadWorkerPool {
  #queue: Job[] = [];
  readonly #claims: Int32Array;
  #nextSlot = 0;
  readonly workers: ReadWorker[];
  /** Statements posted to a busy worker's queue, and those of them taken back for an idle one. */
  readonly counts = { queuedOnBusy: 0, takenBack: 0 };

  constructor(count: number, options: Omit<WorkerOptions, 'claims'>) {
    const claims = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.#claims = new Int32Array(claims);
    this.workers = Array.from(
      { length: count },
      () => new ReadWorker({ ...options, claims }, () => this.#dispatch()),
    );
  }

  run(
    message: Record<string, unknown>,
    bound: ReadWorker | null = null,
  ): Promise<{ reply: Reply; worker: ReadWorker }> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, bound, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const worker of this.workers) {
      if (worker.busy) continue;
      const i = this.#queue.findIndex((j) => j.bound === null || j.bound === worker);
      if (i >= 0) worker.execute(this.#queue.splice(i, 1)[0]!);
      else this.#steal(worker);
    }
    for (const worker of this.workers) {
      if (!worker.busy) continue;
      const i = this.#queue.findIndex((j) => j.bound === null && worker.accepts(j));
      if (i < 0) continue;
      const slot = this.#nextSlot;
      this.#nextSlot = (slot + 1) % SLOTS;
      Atomics.store(this.#claims, slot, 0);
      this.counts.queuedOnBusy++;
      worker.execute(this.#queue.splice(i, 1)[0]!, slot);
    }
  }

  /** Gives the idle `worker` a statement still waiting in another worker's queue, if any. */
  #steal(worker: ReadWorker): void {
    for (const other of this.workers) {
      for (const job of other.waiting) {
        if (Atomics.compareExchange(this.#claims, job.slot!, 0, 2) !== 0) continue; // it started
        job.stolen = true;
        this.counts.takenBack++;
        worker.execute({
          message: job.message,
          bound: null,
          resolve: job.resolve,
          reject: job.reject,
        });
        return;
      }
    }
  }

  /**
   * Starts every worker now and waits until each answers (not on the first report), having
   * imported `modules` (compiled modules of encoders, not on the first export).
   */
  async warm(modules: string[]): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        await this.run({ kind: 'query', sql: 'select 1', params: [] }, w);
        for (const module of modules) await this.run({ kind: 'load', module }, w);
      }),
    );
  }

  async stop(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new Error('the read workers are closed'));
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}

/** A read's rows from a worker's reply: objects, or arrays when the columns were not sent. */
function rowsOf(reply: Reply): unknown[] {
  if (reply.json === undefined) return reply.rows!;
  const rows = JSON.parse(reply.json) as unknown[][];
  const columns = reply.columns;
  if (!columns) return rows;
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) o[columns[i]!] = r[i];
    return o;
  });
}

class ReadWorkerConnection implements DatabaseConnection {
  constructor(private readonly pool: ReadWorkerPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { reply } = await this.pool.run({
      kind: 'query',
      sql: query.sql,
      params: query.parameters,
    });
    if (reply.changes === undefined) return { rows: rowsOf(reply) as R[] };
    return {
      rows: [],
      numAffectedRows: BigInt(reply.changes),
      insertId: reply.lastInsertRowid === undefined ? undefined : BigInt(reply.lastInsertRowid),
    };
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize = 1000,
  ): AsyncIterableIterator<QueryResult<R>> {
    const size = Math.max(1, chunkSize);
    const opened = await this.pool.run({
      kind: 'open',
      sql: query.sql,
      params: query.parameters,
      size,
    });
    // The stream lives on the worker that opened it, under the id of its first message.
    const { worker } = opened;
    const stream = opened.reply.id;
    let reply = opened.reply;
    let done = false;
    try {
      for (;;) {
        done = reply.done === true;
        // The next chunk is read on the worker while this one is consumed.
        const next = done ? null : this.pool.run({ kind: 'next', stream, size }, worker);
        next?.catch(() => {}); // awaited below, or dropped with the stream
        if (reply.rows!.length > 0) yield { rows: reply.rows as R[] };
        if (!next) return;
        reply = (await next).reply;
      }
    } finally {
      if (!done) await this.pool.run({ kind: 'close', stream }, worker).catch(() => {});
    }
  }
}

class ReadWorkersDriver implements Driver {
  constructor(private readonly pool: ReadWorkerPool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ReadWorkerConnection(this.pool);
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the read workers take no transactions: use the database itself');
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.pool.stop();
  }
}

/**
 * A Kysely instance that reads the SQLite file `file` on `count` worker threads (see above).
 * The file must exist and be in WAL mode (the main connection makes it so).
 */
export function createReadWorkersDb(
  file: string,
  options: { count: number; cacheSize?: number; onStatement?: StatementObserver },
): Db {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const pool = new ReadWorkerPool(Math.max(1, options.count), {
    file,
    cacheSize: options.cacheSize ?? -32768,
    driver,
  });
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReadWorkersDriver(pool),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
  const db = new Kysely<Database>({ dialect, ...statementLog(options.onStatement) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Db, ReadWorkerPool>();

/**
 * How many statements `db`'s pool posted to a busy worker's queue, and how many of those it took
 * back for a worker that fell idle first (null: no read-workers database).
 */
export function readWorkerQueueCounts(db: Db): { queuedOnBusy: number; takenBack: number } | null {
  const pool = pools.get(db);
  return pool ? { ...pool.counts } : null;
}

/** How many read workers `db` has (0: it is no read-workers database). */
export function readWorkerCount(db: Db): number {
  return pools.get(db)?.workers.length ?? 0;
}

/**
 * A page read and encoded on a worker: its bytes (UTF-8, or deflated when asked: then `deflated`
 * says the CRC-32 and the length of the text they hold), how many rows, the last row.
 */
export interface EncodedPage {
  bytes: Uint8Array;
  count: number;
  last: unknown[] | null;
  deflated: { crc: number; size: number } | null;
}

/**
 * Reads `query` on a worker of `db` (rows as arrays) and has the worker turn the rows into text
 * with the function `encoder.task` exported by the module at `encoder.module` (a URL of
 * compiled JavaScript: workers load no TypeScript), called as `task(rows, input)`, which gives
 * a string or its UTF-8 bytes (in a Uint8Array whose ArrayBuffer is its alone: it is
 * transferred); the text comes back as UTF-8 bytes, or with `encoder.deflate` as a deflated
 * piece of a ZIP entry. Null when `db` has no workers. For exports, whose encoding costs more
 * than their reads: it runs beside the event loop, a page on each worker.
 */
export async function readAndEncodeOnWorkers(
  db: Db,
  query: CompiledQuery,
  encoder: { module: string; task: string; deflate?: number },
  input: unknown,
): Promise<EncodedPage | null> {
  const pool = pools.get(db);
  if (!pool) return null;
  const { reply } = await pool.run({
    kind: 'encode',
    sql: query.sql,
    params: query.parameters,
    module: encoder.module,
    task: encoder.task,
    deflate: encoder.deflate,
    input,
  });
  return {
    bytes: reply.bytes!,
    count: reply.count!,
    last: reply.last ?? null,
    deflated: reply.crc === undefined ? null : { crc: reply.crc, size: reply.size! },
  };
}

/**
 * The rows of a read as arrays (columns in select order), read on a worker of `db`; null when
 * `db` has no workers. An array per row is cheaper to build, and to copy between threads, than
 * an object per row (exports read tens of thousands).
 */
export async function readArraysOnWorkers(
  db: Db,
  query: CompiledQuery,
): Promise<unknown[][] | null> {
  const pool = pools.get(db);
  if (!pool) return null;
  const { reply } = await pool.run({
    kind: 'query',
    sql: query.sql,
    params: query.parameters,
    raw: true,
  });
  return rowsOf(reply) as unknown[][];
}

/**
 * Starts the read workers of `db` and waits for them, when `db` has any (a server at start, so
 * that its first report or export does not wait for threads to start and open the file), with
 * the encoders' `modules` imported (readAndEncodeOnWorkers).
 */
export async function warmReadWorkers(db: Db, modules: (string | null)[] = []): Promise<void> {
  await pools.get(db)?.warm(modules.filter((m): m is string => m !== null));
}
