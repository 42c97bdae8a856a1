import { sql } from 'kysely';
import type { Tx } from './database.js';
import { engineOf } from './connect.js';
import { precompiled } from './precompiled.js';

/**
 * What appending to a hash chain needs from the engine: the ids the new rows will have (they are
 * part of each row's hash, so they are known before the insert) and that nobody appends to the
 * same chain between reading its last link and committing.
 *
 * SQLite has one writer (BEGIN IMMEDIATE), so the chain cannot move and the next ids are the last
 * id + 1…; PostgreSQL has many, so the ids come from the table's sequence and the chain is held
 * with a transaction-level advisory lock (released by COMMIT or ROLLBACK).
 */
export type ChainedTable = 'dossier_events' | 'audit_events';

const CHAIN_LOCK_SPACE: Record<ChainedTable, number> = {
  dossier_events: 7_001,
  audit_events: 7_002,
};

/** Holds the chain (a whole table's, or one member's such as a dossier) until the transaction ends. */
export async function lockChain(tx: Tx, table: ChainedTable, member = 0): Promise<void> {
  if (engineOf(tx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_SPACE[table]}::int4, ${member}::int4)`.execute(
    tx,
  );
}

// Run by every intake and every change of a dossier: compiled once (precompiled.ts).
const lastId = (table: ChainedTable) =>
  precompiled([], (db) => db.selectFrom(table).select('id').orderBy('id', 'desc').limit(1));
const lastIdOf = { dossier_events: lastId('dossier_events'), audit_events: lastId('audit_events') };

/** `count` fresh ids for rows about to be inserted into `table`, in increasing order. */
export async function nextIds(tx: Tx, table: ChainedTable, count: number): Promise<number[]> {
  if (count <= 0) return [];
  if (engineOf(tx) === 'postgres') {
    const { rows } = await sql<{
      id: number;
    }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int4 as id from generate_series(1, ${count}::int4)`.execute(
      tx,
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }
  const [last] = await lastIdOf[table](tx, {});
  const first = (last?.id ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}
