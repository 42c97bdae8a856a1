import { sql, type QueryCreator } from 'kysely';
import { engineOf } from './connect.js';
import type { Db, Tx } from './database.js';
import type { Database } from './schema.js';

/**
 * SQL of the state several app processes share (migration 10): rate-limit windows and the
 * master-data version. Kernel tables, used by http/ and master-data.ts.
 */

export interface WindowCount {
  hits: number;
  resetsAt: number;
}

/**
 * Counts one hit in the window of (bucket, key), opening a new window of `windowMs` when the
 * last one has ended; one statement, so processes counting at once never lose a hit.
 */
export async function countHit(
  db: Db,
  bucket: string,
  keyHash: string,
  nowMs: number,
  windowMs: number,
): Promise<WindowCount> {
  const row = await countHitIn(db, { bucket, keyHash, nowMs, resetsAt: nowMs + windowMs })
    .returning(['hits', 'resets_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), resetsAt: Number(row.resets_at) };
}

/**
 * The upsert that counts one hit in (bucket, keyHash), opening a window ending at `resetsAt` when
 * the last one has ended: a statement of its own, or a WITH clause of another (`db` is then the
 * WITH's query creator). The values may be precompiled statements' placeholders.
 */
export function countHitIn(
  db: QueryCreator<Database>,
  hit: { bucket: string; keyHash: string; nowMs: number; resetsAt: number },
) {
  const ended = sql<boolean>`rate_limit_windows.resets_at <= ${hit.nowMs}`;
  return db
    .insertInto('rate_limit_windows')
    .values({ bucket: hit.bucket, key_hash: hit.keyHash, hits: 1, resets_at: hit.resetsAt })
    .onConflict((oc) =>
      oc.columns(['bucket', 'key_hash']).doUpdateSet({
        hits: sql<number>`case when ${ended} then 1 else rate_limit_windows.hits + 1 end`,
        resets_at: sql<number>`case when ${ended} then ${hit.resetsAt} else rate_limit_windows.resets_at end`,
      }),
    );
}

/**
 * Counts one hit in (hit.bucket, hit.keyHash) and reads the open windows of `peeks`, in one round
 * trip on PostgreSQL (the upsert in a WITH clause); SQLite, in the process, runs the statements
 * one after the other. Answers the hit's window and each peeked one (undefined when none is open).
 */
export async function countHitAndFindWindows(
  db: Db,
  hit: { bucket: string; keyHash: string; windowMs: number },
  peeks: { bucket: string; keyHash: string }[],
  nowMs: number,
): Promise<{ hit: WindowCount; peeked: (WindowCount | undefined)[] }> {
  if (engineOf(db) !== 'postgres' || peeks.length === 0) {
    return {
      hit: await countHit(db, hit.bucket, hit.keyHash, nowMs, hit.windowMs),
      peeked: await Promise.all(peeks.map((p) => findWindow(db, p.bucket, p.keyHash, nowMs))),
    };
  }
  const rows = await db
    .with('counted', (qb) =>
      countHitIn(qb, { ...hit, nowMs, resetsAt: nowMs + hit.windowMs }).returning([
        'bucket',
        'key_hash',
        'hits',
        'resets_at',
      ]),
    )
    .selectFrom('counted')
    .select(['bucket', 'key_hash', 'hits', 'resets_at', sql<number>`1`.as('counted')])
    .unionAll((eb) =>
      eb
        .selectFrom('rate_limit_windows')
        .select(['bucket', 'key_hash', 'hits', 'resets_at', sql<number>`0`.as('counted')])
        .where((w) =>
          w.or(
            peeks.map((p) => w.and([w('bucket', '=', p.bucket), w('key_hash', '=', p.keyHash)])),
          ),
        )
        .where('resets_at', '>', nowMs),
    )
    .execute();
  const window = (r: (typeof rows)[number]) => ({
    hits: Number(r.hits),
    resetsAt: Number(r.resets_at),
  });
  const counted = rows.find((r) => Number(r.counted) === 1)!;
  return {
    hit: window(counted),
    peeked: peeks.map((p) => {
      const r = rows.find(
        (x) => Number(x.counted) === 0 && x.bucket === p.bucket && x.key_hash === p.keyHash,
      );
      return r ? window(r) : undefined;
    }),
  };
}

/** The open window of (bucket, key), if any. */
export async function findWindow(
  db: Db,
  bucket: string,
  keyHash: string,
  nowMs: number,
): Promise<WindowCount | undefined> {
  const row = await db
    .selectFrom('rate_limit_windows')
    .select(['hits', 'resets_at'])
    .where('bucket', '=', bucket)
    .where('key_hash', '=', keyHash)
    .where('resets_at', '>', nowMs)
    .executeTakeFirst();
  return row ? { hits: Number(row.hits), resetsAt: Number(row.resets_at) } : undefined;
}

export async function uncountHit(db: Db, bucket: string, keyHash: string): Promise<void> {
  await db
    .updateTable('rate_limit_windows')
    .set({ hits: sql<number>`hits - 1` })
    .where('bucket', '=', bucket)
    .where('key_hash', '=', keyHash)
    .where('hits', '>', 0)
    .execute();
}

export async function deleteWindows(db: Db, bucket: string, keyHash?: string): Promise<void> {
  let query = db.deleteFrom('rate_limit_windows').where('bucket', '=', bucket);
  if (keyHash !== undefined) query = query.where('key_hash', '=', keyHash);
  await query.execute();
}

/** Removes windows that ended before `beforeMs` (kept a while: nothing reads them after). */
export async function deleteEndedWindows(db: Db, beforeMs: number): Promise<void> {
  await db.deleteFrom('rate_limit_windows').where('resets_at', '<', beforeMs).execute();
}

export async function readMasterDataVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('master_data_version')
    .select('version')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Moves the version on, inside the transaction of the change (so it commits with it). */
export async function bumpMasterDataVersion(tx: Tx): Promise<void> {
  await tx
    .updateTable('master_data_version')
    .set({ version: sql<number>`version + 1` })
    .where('id', '=', 1)
    .execute();
}
