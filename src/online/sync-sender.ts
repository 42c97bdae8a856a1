import { startDrainLoop } from '../lib/drain-loop.js';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../context.js';
import { inTransaction } from '../db/transactions.js';
import { portalAdapterOf, type PortalAdapter } from './portal-adapter.js';
import {
  dueStreams,
  leaseStream,
  markFailed,
  markSent,
  releaseStream,
  unsentRows,
} from './sync.repository.js';

const BATCH = 20;

/** The wait before attempt n+1 of a failing stream: 5 s doubling, at most `maxMs`. */
export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 5000 * 2 ** Math.min(attempts, 20));
}

/**
 * One pass over the outbox: leases each due stream (so several senders never send one dossier's
 * changes at once), sends its unsent rows in order and stops at the first failure, which waits
 * with a growing delay while the stream shows "failing since". Returns how many streams it took.
 */
export async function syncOnce(
  deps: Deps<'db' | 'clock' | 'config'>,
  adapter: PortalAdapter,
  owner: string,
): Promise<number> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let taken = 0;
  for (const stream of await dueStreams(deps.db, nowIso, BATCH)) {
    const until = new Date(now.getTime() + deps.config.portal.leaseMs).toISOString();
    if (!(await leaseStream(deps.db, stream.id, owner, nowIso, until))) continue;
    taken++;
    let onPortal = stream.on_portal === 1;
    let failed = false;
    for (const row of await unsentRows(deps.db, stream.id, stream.sent_seq)) {
      const outcome = await adapter.send({
        maHoSo: stream.ma_ho_so,
        key: `${stream.ma_ho_so}.${row.seq}`,
        onPortal,
        record: JSON.parse(row.record) as Record<string, unknown>,
        progress: JSON.parse(row.progress) as Record<string, unknown>,
      });
      const at = deps.clock.now();
      if (!outcome.ok) {
        const wait = backoffMs(stream.attempts, deps.config.portal.retryMaxMs);
        const next = new Date(at.getTime() + wait).toISOString();
        await markFailed(deps.db, stream.id, owner, at.toISOString(), next, outcome.error);
        failed = true;
        break;
      }
      await inTransaction(deps.db, (tx) => markSent(tx, stream.id, row, owner, at.toISOString()));
      onPortal = true;
    }
    if (!failed) await releaseStream(deps.db, stream.id, owner, deps.clock.now().toISOString());
  }
  return taken;
}

/** The sender in this process: a pass now and then, never two at once. */
export function startPortalSync(
  deps: Deps<'db' | 'clock' | 'config' | 'logger'>,
  everyMs = 2000,
): { stop(): Promise<void> } {
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const adapter = portalAdapterOf(deps.config.portal, deps.logger);
  return startDrainLoop(
    async () => syncOnce(deps, adapter, owner),
    everyMs,
    (err) => deps.logger.warn({ err }, 'portal sync pass failed; will retry'),
  );
}
