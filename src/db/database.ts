import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.js';
import { DatabaseUnavailableError, translateSqliteError } from './errors.js';
import { statementLog, type StatementObserver } from './statement-log.js';
import { readArraysOnWorkers } from './sqlite-read-workers.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock only
 * at the first write; two processes on one file can then deadlock and one gets SQLITE_BUSY
 * without the busy timeout helping. BEGIN IMMEDIATE takes the lock up front, so the busy
 * timeout makes writers queue instead of fail.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  readonly #translating = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** Set while a transaction's callback runs, when the guard is on; see `inTransactionScope`. */
  readonly transactionScope: AsyncLocalStorage<{ open: boolean }> | null;
  /** Holders and waiters of the one connection, to skip the watchdog's timer when it is free. */
  #users = 0;

  constructor(
    config: SqliteDialectConfig,
    private readonly safety: { guard: boolean; acquireTimeoutMs: number },
  ) {
    super(config);
    this.transactionScope = safety.guard ? new AsyncLocalStorage() : null;
  }

  /** The one connection, seen through a wrapper that turns SQLite's errors into neutral ones (db/errors.ts). */
  override async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely's SQLite driver has one connection, which an open transaction holds until it ends: a
    // query on the database itself (not on the transaction) from inside that transaction waits
    // for the connection forever, and so does every later request of the process. It happened
    // when a few-seconds cache (message templates) expired between two steps of a citizen's page
    // and was refilled from inside a transaction. Outside production the guard fails such a
    // query at once (tests find it); in production, where the guard's AsyncLocalStorage would
    // cost every request, the watchdog fails any wait longer than a transaction ever takes, and
    // the transaction waiting for itself then fails too and gives the connection back.
    if (this.transactionScope?.getStore()?.open) throw new QueryOutsideTransactionError();
    this.#users++;
    let connection: DatabaseConnection;
    if (this.#users === 1) {
      connection = await super.acquireConnection();
    } else {
      const acquiring = super.acquireConnection();
      let timer: NodeJS.Timeout | undefined;
      try {
        connection = await Promise.race([
          acquiring,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new ConnectionWaitError(this.safety.acquireTimeoutMs)),
              this.safety.acquireTimeoutMs,
            );
          }),
        ]);
      } catch (err) {
        this.#users--;
        // The place in the line is kept; give the connection back as soon as it comes.
        void acquiring.then(() => super.releaseConnection());
        throw err;
      } finally {
        clearTimeout(timer);
      }
    }
    let wrapped = this.#translating.get(connection);
    if (!wrapped) {
      wrapped = {
        executeQuery: async (query) => {
          try {
            return await connection.executeQuery(query);
          } catch (err) {
            throw translateSqliteError(err);
          }
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      this.#translating.set(connection, wrapped);
    }
    return wrapped;
  }

  override async releaseConnection(): Promise<void> {
    this.#users--;
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a small
 * indexed query. The driver sees this view of the database whose prepare() keeps the most
 * recently used statements (better-sqlite3 statements are reusable; Kysely runs one query at a
 * time per connection, and we never stream, so a cached statement is never busy).
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source); // re-insert: most recently used last
    } else {
      statement = sqlite.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * The one SQLite connection was not free within the watchdog's time (see acquireConnection): the
 * request is answered 503 like a database past its busy timeout, and logged with this message.
 */
export class ConnectionWaitError extends DatabaseUnavailableError {
  constructor(ms: number) {
    super(
      `waited ${ms} ms for the database connection: a transaction holds it that long, or a query ` +
        'on the database was made from inside one of its transactions',
    );
  }
  override name = 'ConnectionWaitError';
}

/** A query on the database, not on the transaction, from inside a SQLite transaction's callback. */
export class QueryOutsideTransactionError extends Error {
  constructor() {
    super(
      'a query on the database from inside one of its transactions would wait for itself forever: ' +
        'run it on the transaction, or before it',
    );
    this.name = 'QueryOutsideTransactionError';
  }
}

const sqliteDrivers = new WeakMap<Db, ImmediateTransactionSqliteDriver>();

/**
 * Runs a transaction's callback marked as such, so that a query on `db` itself from inside it
 * fails with QueryOutsideTransactionError instead of waiting forever for SQLite's one
 * connection. On PostgreSQL such a query takes another pooled connection and `fn` runs as is.
 */
export function inTransactionScope<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const driver = sqliteDrivers.get(db);
  if (!driver?.transactionScope) return fn();
  const scope = { open: true };
  return driver.transactionScope.run(scope, async () => {
    try {
      return await fn();
    } finally {
      // Work the callback started without waiting for it may query once the transaction ended.
      scope.open = false;
    }
  });
}

function sqliteDialect(
  sqlite: SQLite.Database,
  safety: { guard: boolean; acquireTimeoutMs: number },
  onDriver: (driver: ImmediateTransactionSqliteDriver) => void,
): Dialect {
  const database = withStatementCache(sqlite);
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => {
      const driver = new ImmediateTransactionSqliteDriver({ database }, safety);
      onDriver(driver);
      return driver;
    },
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

/** Opens the SQLite file (or memory) with the pragmas every connection of ours needs. */
export function openSqlite(
  databasePath: string,
  synchronous: 'full' | 'normal' = 'full',
): SQLite.Database {
  if (databasePath !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true });
  }
  const sqlite = new SQLite(databasePath);
  configureSqlite(sqlite, synchronous);
  return sqlite;
}

/**
 * WAL, foreign keys, a busy timeout for a second process, and the durability level: FULL (the
 * default) fsyncs every commit, so an acknowledged write survives power loss; NORMAL in WAL mode
 * survives a crash of the process (SIGKILL) but may lose the last commits on power loss, and
 * commits about 30 times cheaper (docs/BENCHMARKS.md).
 */
export function configureSqlite(
  sqlite: SQLite.Database,
  synchronous: 'full' | 'normal' = 'full',
): void {
  if (!sqlite.memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MiB of page cache instead of SQLite's 2 MiB: the hot index pages of a million dossiers stay
  // in memory rather than being re-read from the OS on every lookup (docs/BENCHMARKS.md).
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
}

/**
 * How long a query may wait for SQLite's one connection before it fails (see acquireConnection):
 * longer than any transaction of ours takes (a 100,000-row tracking book imported from the web
 * page holds it about 45 s), short enough that a process caught waiting for itself recovers.
 */
export const CONNECTION_WAIT_MS = 120_000;

export function createDb(
  sqlite: SQLite.Database,
  options: {
    onStatement?: StatementObserver;
    /** Fail a query on the database from inside its own transaction at once (not in production). */
    guardTransactions?: boolean;
    acquireTimeoutMs?: number;
  } = {},
): Db {
  let driver: ImmediateTransactionSqliteDriver | undefined;
  const safety = {
    guard: options.guardTransactions ?? process.env.NODE_ENV !== 'production',
    acquireTimeoutMs: options.acquireTimeoutMs ?? CONNECTION_WAIT_MS,
  };
  const db = new Kysely<Database>({
    dialect: sqliteDialect(sqlite, safety, (d) => (driver = d)),
    ...statementLog(options.onStatement),
  });
  // Kysely creates the driver in its constructor.
  if (driver) sqliteDrivers.set(db, driver);
  return db;
}

const arrayStatements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * Runs a Kysely-built query and returns its rows as arrays (columns in select order) instead of
 * objects: for reads of hundreds of thousands of rows (exports), where building an object per row
 * was a third of the work (measured: a year of one office read in 0.3 s instead of 0.5–0.8 s).
 * The query is still written and compiled by Kysely; on PostgreSQL (no handle) it runs as usual. It runs while holding Kysely's connection, so it never reads in the
 * middle of another request's open transaction.
 */
export async function selectRowsAsArrays<Row extends unknown[]>(
  db: Db,
  sqlite: SQLite.Database | null,
  query: { compile(): CompiledQuery },
): Promise<Row[]> {
  const compiled = query.compile();
  // A report's database reading on worker threads: the read runs there, off the event loop.
  const onWorkers = await readArraysOnWorkers(db, compiled);
  if (onWorkers) return onWorkers as Row[];
  if (!sqlite) {
    // PostgreSQL: node-postgres builds the row objects anyway; their keys are in select order.
    const { rows } = await db.executeQuery(compiled);
    return rows.map((row) => Object.values(row as Record<string, unknown>) as Row);
  }
  return db.connection().execute(async () => {
    let statements = arrayStatements.get(sqlite);
    if (!statements) arrayStatements.set(sqlite, (statements = new Map()));
    let statement = statements.get(compiled.sql);
    if (!statement) {
      statement = sqlite.prepare(compiled.sql).raw(true);
      if (statements.size >= 50) statements.clear();
      statements.set(compiled.sql, statement);
    }
    return statement.all(...(compiled.parameters as unknown[])) as Row[];
  });
}
