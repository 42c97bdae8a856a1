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
export function openSqlite(databasePath: string): SQLite.Database {
  if (databasePath !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true });
  }
  const sqlite = new SQLite(databasePath);
  configureSqlite(sqlite);
  return sqlite;
}

export function configureSqlite(sqlite: SQLite.Database): void {
  if (!sqlite.memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // FULL: an acknowledged write survives power loss, not just a process crash.
  sqlite.pragma('synchronous = FULL');
}

export function createDb(sqlite: SQLite.Database): Db {
  return new Kysely<Database>({ dialect: sqliteDialect(sqlite) });
}
