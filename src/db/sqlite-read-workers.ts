import { createRequire } from 'node:module';
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
import { statementLog, type StatementObserver } from './statement-log.js';
import { ReadWorkerPool, type Reply } from './read-worker-pool.js';

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
 * same better-sqlite3 the process loaded, by its resolved path. The threads and their queue are
 * in read-worker-pool.ts.
 */

export { ReadWorkerError } from './read-worker-pool.js';

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
