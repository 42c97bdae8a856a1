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
  type Transaction,
} from 'kysely';
import type { Database } from './schema.js';
import { translateSqliteError } from './errors.js';
import { statementLog, type StatementObserver } from './statement-log.js';

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

  /** The one connection, seen through a wrapper that turns SQLite's errors into neutral ones (db/errors.ts). */
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
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

function sqliteDialect(sqlite: SQLite.Database): Dialect {
  const database = withStatementCache(sqlite);
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateTransactionSqliteDriver({ database }),
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

export function createDb(
  sqlite: SQLite.Database,
  options: { onStatement?: StatementObserver } = {},
): Db {
  return new Kysely<Database>({
    dialect: sqliteDialect(sqlite),
    ...statementLog(options.onStatement),
  });
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
