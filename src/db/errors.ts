/**
 * Database errors in words every engine shares. The dialect's connection translates its own
 * errors into these (SQLite: `SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY`; PostgreSQL: SQLSTATE
 * 23505, 40001, 57P01, …), so services never match an engine's error text.
 */

/** A unique index refused a row. `columns` are `table.column` names when the engine says them. */
export class UniqueViolationError extends Error {
  override name = 'UniqueViolationError';
  constructor(
    readonly columns: string[],
    readonly constraint: string | null,
    options?: { cause?: unknown },
  ) {
    super(`unique constraint failed: ${columns.join(', ') || constraint || 'unknown'}`, options);
  }

  /** Whether the violated index covers exactly this `table.column`. */
  isOn(column: string): boolean {
    return this.columns.includes(column) || this.constraint === column.replace('.', '_');
  }
}

/** The engine could not serialise this transaction with another; running it again may succeed. */
export class SerializationFailureError extends Error {
  override name = 'SerializationFailureError';
}

/**
 * The engine refused a text it cannot store (PostgreSQL: a NUL character, invalid UTF-8). Input
 * checks keep control characters out; this is the net under them, answered as bad input.
 */
export class InvalidTextError extends Error {
  override name = 'InvalidTextError';
}

/** The database is busy past its timeout, restarting, or out of reach. Nothing was written. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

/** better-sqlite3's SqliteError → a neutral error; anything else is returned as it is. */
export function translateSqliteError(err: unknown): unknown {
  const e = err as SqliteErrorLike;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const columns =
      /constraint failed: (.+)$/
        .exec(message)?.[1]
        ?.split(',')
        .map((c) => c.trim()) ?? [];
    return new UniqueViolationError(columns, null, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new DatabaseUnavailableError(message, { cause: err });
  }
  return err;
}

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/** SQLSTATE classes and node errors that mean "the server is not there right now". */
const PG_UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '55P03',
]);
const NODE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const PG_CONNECTION_LOST =
  /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|connection is closed|Client was closed/i;

/** node-postgres's DatabaseError (SQLSTATE) or a socket error → a neutral error; anything else as it is. */
export function translatePgError(err: unknown): unknown {
  const e = err as PgErrorLike;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === '23505') {
    // detail: 'Key (office_id, day)=(1, 2026-03-10) already exists.'
    const table = typeof e.table === 'string' ? e.table : '';
    const keyColumns =
      /^Key \(([^)]+)\)=/
        .exec(typeof e.detail === 'string' ? e.detail : '')?.[1]
        ?.split(',')
        .map((c) => c.trim()) ?? [];
    const columns = keyColumns.map((c) => (table ? `${table}.${c}` : c));
    return new UniqueViolationError(
      columns,
      typeof e.constraint === 'string' ? e.constraint : null,
      { cause: err },
    );
  }
  if (code === '40001' || code === '40P01')
    return new SerializationFailureError(message, { cause: err });
  if (code === '22021' || code === '22P05') return new InvalidTextError(message, { cause: err });
  if (
    PG_UNAVAILABLE.has(code) ||
    NODE_UNAVAILABLE.has(code) ||
    (!code && PG_CONNECTION_LOST.test(message))
  ) {
    return new DatabaseUnavailableError(message, { cause: err });
  }
  return err;
}
