import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type { ImportTurnRow, ImportTurnTable } from '../db/schema-hall.js';

/** All SQL on import_turns: the installation's one line of tracking-book parses. */

export async function insertTurn(db: Db, row: Insertable<ImportTurnTable>): Promise<ImportTurnRow> {
  return db.insertInto('import_turns').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTurn(db: Db, id: number): Promise<ImportTurnRow | undefined> {
  return db.selectFrom('import_turns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Turns nobody keeps alive any more (a closed page, a dead process) leave the line. */
export async function dropStaleTurns(
  tx: Tx,
  waitingBeforeIso: string,
  runningBeforeIso: string,
  nowIso: string,
): Promise<void> {
  await tx
    .updateTable('import_turns')
    .set({ state: 'failed', finished_at: nowIso })
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'waiting'), eb('heartbeat_at', '<', waitingBeforeIso)]),
        eb.and([eb('state', '=', 'running'), eb('heartbeat_at', '<', runningBeforeIso)]),
      ]),
    )
    .execute();
}

/** The turns ahead of this one: the running parse and the waiting turns that came first. */
export async function countAhead(db: Db | Tx, id: number): Promise<number> {
  const row = await db
    .selectFrom('import_turns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('state', '=', 'running'),
        eb.and([eb('state', '=', 'waiting'), eb('id', '<', id)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * This waiting turn starts running. The unique index on running turns refuses a second one
 * (the caller sees the unique violation); returns false when the turn is no longer waiting.
 */
export async function markRunning(tx: Tx, id: number, nowIso: string): Promise<boolean> {
  const r = await tx
    .updateTable('import_turns')
    .set({ state: 'running', heartbeat_at: nowIso })
    .where('id', '=', id)
    .where('state', '=', 'waiting')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps a turn in line (or a parse alive); false when it is no longer waiting or running. */
export async function touchTurn(db: Db | Tx, id: number, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('import_turns')
    .set({ heartbeat_at: nowIso })
    .where('id', '=', id)
    .where('state', 'in', ['waiting', 'running'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishTurn(
  db: Db,
  id: number,
  state: 'done' | 'failed',
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('import_turns')
    .set({ state, finished_at: nowIso })
    .where('id', '=', id)
    .execute();
}
