import type { KyselyConfig, LogEvent } from 'kysely';

/** Told the SQL text and the milliseconds of every statement Kysely runs (failed ones too). */
export type StatementObserver = (sql: string, milliseconds: number) => void;

/**
 * Kysely's `log` hook for an observer, or nothing: without an observer Kysely does not even time
 * its statements. An observer that throws never fails the statement.
 */
export function statementLog(observer: StatementObserver | undefined): Pick<KyselyConfig, 'log'> {
  if (!observer) return {};
  return {
    log(event: LogEvent) {
      try {
        observer(event.query.sql, event.queryDurationMillis);
      } catch {
        // metrics must never break a query
      }
    },
  };
}
