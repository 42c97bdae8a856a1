import type SQLite from 'better-sqlite3';
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createDb, openSqlite, type Db } from './database.js';
import { createPostgresDb, createPostgresPool } from './postgres.js';
import { createReadWorkersDb } from './sqlite-read-workers.js';
import type { StatementObserver } from './statement-log.js';

export type Engine = 'sqlite' | 'postgres';

/** The database of one process: where it writes, where it may read, and how to close both. */
export interface DatabaseHandle {
  engine: Engine;
  db: Db;
  /**
   * Where the citizen lookup, reports and exports read: the replica of DATABASE_READ_URL, or `db`.
   * A replica lags the primary by its replication delay (docs/ARCHITECTURE.md).
   */
  readDb: Db;
  /**
   * Where the reports and exports read: `readDb`, or on a SQLite file read-only connections on
   * worker threads (SQLITE_READ_WORKERS), so that a report's statements run side by side and off
   * the event loop (db/sqlite-read-workers.ts).
   */
  reportDb: Db;
  /**
   * Where shared state that may be lost in a database crash is written (rate-limit windows): on
   * PostgreSQL a small pool whose commits do not wait for the WAL flush; on SQLite `db`.
   */
  stateDb: Db;
  /** The better-sqlite3 handle on SQLite (backup, array rows); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  destroy(): Promise<void>;
}

/** Opens DATABASE_URL (and DATABASE_READ_URL) as configured; an open SQLite handle may be given (tests). */
export function openDatabase(
  config: Config,
  options: {
    logger?: Logger;
    sqlite?: SQLite.Database;
    applicationName?: string;
    /** Told the time of every statement (the metrics). */
    onStatement?: StatementObserver;
  } = {},
): DatabaseHandle {
  const { onStatement } = options;
  if (config.databaseEngine === 'postgres') {
    const pool = createPostgresPool({
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      logger: options.logger,
      applicationName: options.applicationName,
    });
    const db = createPostgresDb(pool, { onStatement });
    const readDb = config.databaseReadUrl
      ? createPostgresDb(
          createPostgresPool({
            url: config.databaseReadUrl,
            poolSize: config.databasePoolSize,
            logger: options.logger,
            applicationName: `${options.applicationName ?? 'motcua'}-read`,
          }),
          { onStatement },
        )
      : db;
    const stateDb = createPostgresDb(
      createPostgresPool({
        url: config.databaseUrl,
        poolSize: Math.min(4, config.databasePoolSize),
        logger: options.logger,
        applicationName: `${options.applicationName ?? 'motcua'}-state`,
        synchronousCommit: 'off',
      }),
      { onStatement },
    );
    return {
      engine: 'postgres',
      db,
      readDb,
      reportDb: readDb,
      stateDb,
      sqlite: null,
      async destroy() {
        if (readDb !== db) await readDb.destroy();
        await stateDb.destroy();
        await db.destroy();
      },
    };
  }
  const sqlite = options.sqlite ?? openSqlite(config.databasePath, config.sqliteSynchronous);
  const db = createDb(sqlite, { onStatement, guardTransactions: config.env !== 'production' });
  // Workers need a file they can open themselves: not memory, not a handle a test made.
  const reportDb =
    config.sqliteReadWorkers > 0 && !options.sqlite && !sqlite.memory
      ? createReadWorkersDb(sqlite.name, { count: config.sqliteReadWorkers, onStatement })
      : db;
  return {
    engine: 'sqlite',
    db,
    readDb: db,
    reportDb,
    stateDb: db,
    sqlite,
    async destroy() {
      if (reportDb !== db) await reportDb.destroy();
      await db.destroy();
    },
  };
}

/** Which engine a Kysely instance speaks (for the few places whose SQL differs). */
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
