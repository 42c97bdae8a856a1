import type { Deps } from '../context.js';
import { UniqueViolationError } from '../db/errors.js';
import type { ImportTurnKind } from '../db/schema-hall.js';
import { transactionWithRetry } from '../db/transactions.js';
import * as repo from './import-turns.repository.js';

/**
 * One tracking-book parse at a time per installation (issue 29, item 6: four parallel imports of
 * a 20,000-row sheet took 235 s each and slowed every page). A check or an import takes a turn;
 * while another parse runs it waits in line and its page says how many are ahead. The line is a
 * table (`import_turns`), so it holds across processes; the database's unique index on running
 * turns is what lets only one run. A waiting page that stops asking, or a parse whose process
 * died, leaves the line after a while.
 */

/** A waiting turn whose page has not asked for this long has left the line. */
export const WAITING_STALE_MS = 30_000;
/** A running parse that has not reported for this long died with its process. */
export const RUNNING_STALE_MS = 120_000;
/** How often a running parse reports that it is alive. */
const HEARTBEAT_MS = 10_000;

export async function joinLine(
  ctx: Deps<'clock' | 'db'>,
  turn: { kind: ImportTurnKind; accountId: number | null; officeId: number; fileName: string },
): Promise<number> {
  const nowIso = ctx.clock.now().toISOString();
  const row = await repo.insertTurn(ctx.db, {
    kind: turn.kind,
    state: 'waiting',
    account_id: turn.accountId,
    office_id: turn.officeId,
    file_name: turn.fileName.slice(0, 200),
    report: null,
    created_at: nowIso,
    heartbeat_at: nowIso,
  });
  return row.id;
}

/**
 * Tries to start a waiting turn: it starts when nothing runs and no live turn came before it.
 * Otherwise it stays in line (kept alive by this call) and the answer is how many are ahead;
 * `gone` when the turn left the line (too long without asking, or already finished).
 */
export async function tryStart(
  ctx: Deps<'clock' | 'db'>,
  id: number,
): Promise<{ started: true } | { started: false; ahead: number; gone: boolean }> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  try {
    return await transactionWithRetry(ctx.db, async (tx) => {
      await repo.dropStaleTurns(
        tx,
        new Date(now.getTime() - WAITING_STALE_MS).toISOString(),
        new Date(now.getTime() - RUNNING_STALE_MS).toISOString(),
        nowIso,
      );
      const ahead = await repo.countAhead(tx, id);
      if (ahead === 0 && (await repo.markRunning(tx, id, nowIso))) return { started: true };
      // Still in line (kept alive by asking), or gone from it.
      const gone = !(await repo.touchTurn(tx, id, nowIso));
      return { started: false, ahead, gone };
    });
  } catch (err) {
    // Another process started its turn at the same moment: ours waits.
    if (!(err instanceof UniqueViolationError)) throw err;
    return { started: false, ahead: 1, gone: false };
  }
}

/** Runs the parse of a started turn, reporting it alive, and closes the turn whatever happens. */
export async function runTurn<T>(
  ctx: Deps<'clock' | 'db'>,
  id: number,
  parse: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => {
    repo.touchTurn(ctx.db, id, ctx.clock.now().toISOString()).then(
      () => undefined,
      () => undefined,
    );
  }, HEARTBEAT_MS);
  timer.unref();
  let ok = false;
  try {
    const result = await parse();
    ok = true;
    return result;
  } finally {
    clearInterval(timer);
    await repo.finishTurn(ctx.db, id, ok ? 'done' : 'failed', ctx.clock.now().toISOString());
  }
}

/** Waits in line (polling), then runs: for the command line, which has no page to refresh. */
export async function inLine<T>(
  ctx: Deps<'clock' | 'db'>,
  turn: Parameters<typeof joinLine>[1],
  parse: () => Promise<T>,
  onWait: (ahead: number) => void = () => undefined,
  pollMs = 1000,
): Promise<T> {
  const id = await joinLine(ctx, turn);
  for (;;) {
    const r = await tryStart(ctx, id);
    if (r.started) return runTurn(ctx, id, parse);
    if (r.gone) throw new Error('import turn left the line');
    onWait(r.ahead);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
