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

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock only
 * at the first write; two processes on one file can then deadlock and one gets SQLITE_BUSY
 * without the busy timeout helping. BEGIN IMMEDIATE takes the lock up front, so the busy
 * timeout makes writers queue instead of fail.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function sqliteDialect(database: SQLite.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateTransactionSqliteDriver({ database }),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

/** Opens the SQLite file (or memory) with the pragmas every connection of ours needs. */
export function openSqlite(databasePath: string, synchronous: 'full' | 'normal' = 'full'): SQLite.Database {
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
export function configureSqlite(sqlite: SQLite.Database, synchronous: 'full' | 'normal' = 'full'): void {
  if (!sqlite.memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
}

export function createDb(sqlite: SQLite.Database): Db {
  return new Kysely<Database>({ dialect: sqliteDialect(sqlite) });
}
