import { Worker } from 'node:worker_threads';
import { translateSqliteError } from './errors.js';
import { WORKER_SOURCE } from './sqlite-read-worker-source.js';

/**
 * The read workers' threads and the queue in front of them (sqlite-read-workers.ts makes a
 * Kysely dialect of them). Each thread runs one message at a time and answers in order; a
 * statement goes to the first idle thread, or waits in a busy thread's own queue with a claim
 * the pool can take back (ReadWorkerPool).
 */
export interface Reply {
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
export class ReadWorker {
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
    // Nothing more for a thread a statement was taken back from until it has skipped it: it is
    // still on a long one, and each statement taken back holds a claim slot until skipped (so
    // at most one per worker is ever outstanding, far fewer than SLOTS).
    if (live.length < this.#jobs.length) return false;
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
export class ReadWorkerPool {
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
    // Only the pool's oldest job is queued on a busy worker: behind a job that waits for an
    // idle worker (an export's page, a stream's chunk), statements queued on the workers would
    // keep them from ever falling idle under a steady stream of reports.
    for (const worker of this.workers) {
      const head = this.#queue[0];
      if (!head || !worker.busy || head.bound !== null || !worker.accepts(head)) continue;
      const slot = this.#nextSlot;
      this.#nextSlot = (slot + 1) % SLOTS;
      Atomics.store(this.#claims, slot, 0);
      this.counts.queuedOnBusy++;
      worker.execute(this.#queue.shift()!, slot);
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
