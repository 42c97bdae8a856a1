import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here. What the migrations need to write their
// few engine-specific statements (triggers, functions) for SQLite and PostgreSQL side by side.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A trigger that refuses updates or deletes of a table: an append-only history. */
export async function createAppendOnlyTrigger(
  db: Kysely<any>,
  name: string,
  table: string,
  operation: 'update' | 'delete',
): Promise<void> {
  if (isPostgres(db)) {
    await sql`create or replace function refuse_change_of_history() returns trigger language plpgsql as $$
      begin raise exception '% is append-only', tg_table_name using errcode = 'P0001'; end $$`.execute(
      db,
    );
    await sql
      .raw(
        `create trigger ${name} before ${operation} on ${table} for each row execute function refuse_change_of_history()`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger ${name} before ${operation} on ${table} begin select raise(abort, '${table} is append-only'); end`,
      )
      .execute(db);
  }
}

export async function dropTrigger(db: Kysely<any>, name: string, table: string): Promise<void> {
  await sql
    .raw(isPostgres(db) ? `drop trigger ${name} on ${table}` : `drop trigger ${name}`)
    .execute(db);
}
