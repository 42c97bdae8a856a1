import type { Db, Tx } from './database.js';
import type { Engine } from './connect.js';
import { transactionWithRetry } from './transactions.js';

/** The most units of work one physical transaction carries. */
const MAX_BATCH = 64;
/**
 * How long a batch may wait for units still arriving before it starts (see `#gather`). Measured
 * on the bench's intake (docs/BENCHMARKS.md, "Twentieth round"): 1, 3 and 10 ms gave the same
 * batches, as the wait nearly always ends on a quiet turn first.
 */
const LINGER_MS = 3;
/**
 * PostgreSQL: how many batches a process has in flight at once, the keys shared among them by
 * their remainder. One batch holds its offices' numbers until it commits, and the other
 * process's batch of those offices waits for it; two lanes keep a second batch going meanwhile.
 * Measured on the bench's intake (docs/BENCHMARKS.md, "Twenty-first round"): 1, 2 and 4 lanes
 * gave about 570, 620 and 600 intakes/s warm, at 2.6, 2.9 and 3.1 ms of CPU an intake.
 */
const LANES = 2;

interface Job {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** PostgreSQL: the row lock the unit takes first (an office's daily number), see `run`. */
  lockKey?: number;
  /** PostgreSQL: what the unit will take that a batch takes for all its units at once. */
  claim?: unknown;
}

/**
 * PostgreSQL: takes for a batch's units, in one statement before they run, what each would
 * otherwise take with a statement of its own (an intake's daily number and ids), given their
 * claims in the batch's order. Returns a check, run after the units, that throws if any of it
 * was left (the batch is then rolled back and each unit run alone).
 */
export type PrepareBatch = (tx: Tx, claims: unknown[]) => Promise<() => void>;

/** PostgreSQL transactions that carry several units (see `carriesSeveralUnits`). */
const sharedTransactions = new WeakSet<Tx>();

/**
 * Whether `tx` is a PostgreSQL transaction of several units of work. A unit that would hold
 * rows other transactions lock in a fixed order (the counters, migration 35) must not take them
 * early in such a transaction: the next unit's rows would come out of that order.
 */
export function carriesSeveralUnits(tx: Tx): boolean {
  return sharedTransactions.has(tx);
}

/**
 * Group commit. With SQLite's synchronous=FULL every COMMIT waits for an fsync (0.77 ms of an
 * intake's 1.4 ms, measured on the benchmark database), and SQLite has one writer at a time.
 * Units of work that arrive while a transaction is being written join the next one: each runs
 * inside its own savepoint, so a unit that throws is rolled back alone and its caller gets the
 * error, and every caller is answered only after the one COMMIT, so nothing is acknowledged
 * before it is durable. When requests come one at a time a batch holds one unit: no waiting is
 * added beyond one turn of the event loop.
 *
 * Requests sent together do not reach the queue together: they are read from their sockets a
 * little apart, and a unit that misses a batch waits for all of it (tens of milliseconds under
 * load) before its own. So a batch starts on the first turn of the event loop that brings no new
 * unit, or after LINGER_MS, or when it is full, whichever comes first.
 *
 * A unit must use only the transaction it is given (the batch holds Kysely's one connection,
 * so a query through the plain `db` would wait for itself).
 *
 * PostgreSQL has many writers at once and commits them in groups itself (its WAL flush serves
 * every commit waiting for it), so a unit given without a lock key is simply its own
 * transaction, run again if the server asks for it (a deadlock or serialization failure). A unit
 * given a lock key (an intake: its office's daily number, whose row lock it holds until it
 * commits) joins the process's batch as on SQLite: the units of one batch run one after another
 * in one transaction, in the order of their keys, so two processes' batches take the numbers'
 * locks in the same order and cannot deadlock, and each lock is taken once and held through one
 * flush for all of the batch's units of that office. A process keeps a batch in flight per lane
 * (LANES), each lane the keys of one remainder, so the lanes' batches share no number and a
 * second batch runs while the first waits for the other process. PostgreSQL's savepoints would
 * cost a round
 * trip each, so a batch has none: if any unit fails, the batch is rolled back and each of its
 * units is run again alone, as its own transaction, and its caller gets that outcome.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #engine: Engine;
  readonly #lingerMs: number;
  readonly #onBatch: ((units: number) => void) | undefined;
  readonly #laneCount: number;
  readonly #prepareBatch: PrepareBatch | undefined;
  /** Units waiting, and whether a drain runs, by lane (see `#laneOf`). */
  readonly #lanes = new Map<number, { queue: Job[]; draining: boolean }>();

  constructor(
    db: Db,
    engine: Engine = 'sqlite',
    options: {
      lingerMs?: number;
      /** Told each physical transaction's number of units (the metrics). */
      onBatch?: (units: number) => void;
      /** PostgreSQL: batches in flight at once, each for the keys of one remainder (`LANES`). */
      lanes?: number;
      /** PostgreSQL: what a batch takes for its units' claims before they run (`PrepareBatch`). */
      prepareBatch?: PrepareBatch;
    } = {},
  ) {
    this.#db = db;
    this.#engine = engine;
    this.#lingerMs = options.lingerMs ?? LINGER_MS;
    this.#onBatch = options.onBatch;
    this.#laneCount = Math.max(1, Math.floor(options.lanes ?? LANES));
    this.#prepareBatch = options.prepareBatch;
  }

  /**
   * Runs `work` as a unit of the next batch. `lockKey`, on PostgreSQL: the unit's first lock is
   * the row of this key (an office's daily number), which makes it safe to batch with others
   * (see the class). SQLite batches every unit. `claim`, on PostgreSQL: what the unit will take
   * that a batch of several takes for all of them in one statement first (`prepareBatch`); a
   * unit given a claim must then take it.
   */
  run<T>(
    work: (tx: Tx) => Promise<T>,
    options: { lockKey?: number; claim?: unknown } = {},
  ): Promise<T> {
    if (this.#engine === 'postgres' && options.lockKey === undefined)
      return transactionWithRetry(this.#db, work);
    const laneKey = this.#laneOf(options.lockKey);
    let lane = this.#lanes.get(laneKey);
    if (!lane) {
      lane = { queue: [], draining: false };
      this.#lanes.set(laneKey, lane);
    }
    const { queue } = lane;
    return new Promise<T>((resolve, reject) => {
      queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
        lockKey: options.lockKey,
        claim: options.claim,
      });
      if (!lane.draining) {
        lane.draining = true;
        // better-sqlite3 is synchronous: a batch, its fsync included, runs without yielding, so
        // requests can only join while none runs. Starting on the next turn of the event loop
        // lets every request already read from the sockets reach this queue first.
        setImmediate(() => void this.#drain(lane));
      }
    });
  }

  /** SQLite has one lane (one writer); PostgreSQL a lane per remainder of the key. */
  #laneOf(lockKey: number | undefined): number {
    if (this.#engine !== 'postgres' || lockKey === undefined) return 0;
    return ((lockKey % this.#laneCount) + this.#laneCount) % this.#laneCount;
  }

  async #drain(lane: { queue: Job[]; draining: boolean }): Promise<void> {
    const { queue } = lane;
    try {
      await this.#gather(queue);
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        this.#onBatch?.(batch.length);
        if (this.#engine === 'postgres') await this.#commitPostgres(batch);
        else await this.#commit(batch);
        // Let the requests that arrived during that batch reach the queue before the next one.
        if (queue.length < MAX_BATCH) {
          await nextTurn();
          await this.#gather(queue);
        }
      }
    } finally {
      lane.draining = false;
    }
  }

  /** Turns of the event loop while each brings more units, for at most the linger time. */
  async #gather(queue: Job[]): Promise<void> {
    const started = performance.now();
    let seen = 0;
    while (
      queue.length > seen &&
      queue.length < MAX_BATCH &&
      performance.now() - started < this.#lingerMs
    ) {
      seen = queue.length;
      await nextTurn();
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      for (const job of batch) {
        const unit = await trx.savepoint('unit').execute();
        try {
          outcomes.push({ ok: true, value: await job.work(unit) });
          await unit.releaseSavepoint('unit').execute();
        } catch (error) {
          // If SQLite itself ended the transaction (I/O error, disk full), this throws and the
          // whole batch fails below: none of it was committed.
          await unit.rollbackToSavepoint('unit').execute();
          await unit.releaseSavepoint('unit').execute();
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** One PostgreSQL transaction for the batch's units in key order; each alone if it fails. */
  async #commitPostgres(batch: Job[]): Promise<void> {
    const alone = (job: Job) => {
      this.#onBatch?.(1);
      return transactionWithRetry(this.#db, job.work).then(job.resolve, job.reject);
    };
    if (batch.length === 1)
      return transactionWithRetry(this.#db, batch[0]!.work).then(
        batch[0]!.resolve,
        batch[0]!.reject,
      );
    const ordered = [...batch].sort((a, b) => a.lockKey! - b.lockKey!);
    let values: unknown[];
    try {
      values = await this.#db.transaction().execute(async (tx) => {
        sharedTransactions.add(tx);
        // The units' claims taken in one statement, in key order (the locks' order): the units
        // then run without a round trip each, their rows all going with the COMMIT.
        const claims = ordered.flatMap((job) => (job.claim === undefined ? [] : [job.claim]));
        const settle =
          this.#prepareBatch && claims.length > 0 ? await this.#prepareBatch(tx, claims) : null;
        const out: unknown[] = [];
        for (const job of ordered) out.push(await job.work(tx));
        settle?.();
        return out;
      });
    } catch {
      // Which unit failed, and whether it would alone, only running each alone tells: a
      // deferred write's error reaches the statement that carries it, another unit's.
      await Promise.all(ordered.map(alone));
      return;
    }
    ordered.forEach((job, i) => job.resolve(values[i]));
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
