/**
 * Database errors in words every engine shares. The dialect's connection translates its own
 * errors into these (SQLite: `SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY`; PostgreSQL: SQLSTATE
 * 23505, 40001, 57P01, …), so services never match an engine's error text.
 */

/** A unique index refused a row. `columns` are `table.column` names when the engine says them. */
export class UniqueViolationError extends Error {
  override name = 'UniqueViolationError';
  constructor(readonly columns: string[], readonly constraint: string | null, options?: { cause?: unknown }) {
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
    const columns = /constraint failed: (.+)$/.exec(message)?.[1]?.split(',').map((c) => c.trim()) ?? [];
    return new UniqueViolationError(columns, null, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new DatabaseUnavailableError(message, { cause: err });
  }
  return err;
}
