import type { Db, Tx } from '../db/database.js';

/** The files' reads and writes for retention and `npm run files:verify`. */

/**
 * Stored files that only dossiers out of retention refer to: anonymised ones, and (for a dry run)
 * those closed before `closedBefore` that the same run will anonymise. A file another, kept
 * dossier still refers to (a reuse) is kept.
 */
export async function findFilesOutOfRetention(
  db: Db | Tx,
  closedBefore: string | null,
  page: { afterId: number; limit: number } | { id: number },
): Promise<{ id: number; sha256: string; size: number; charged_office_id: number }[]> {
  return db
    .selectFrom('stored_files as s')
    .select(['s.id', 's.sha256', 's.size', 's.charged_office_id'])
    .where('s.deleted_at', 'is', null)
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom('dossier_files as f')
            .innerJoin('dossiers as d', 'd.id', 'f.dossier_id')
            .select('f.id')
            .whereRef('f.stored_file_id', '=', 's.id')
            .where((eb) =>
              closedBefore === null
                ? eb('d.anonymised_at', 'is', null)
                : eb.and([
                    eb('d.anonymised_at', 'is', null),
                    eb.or([eb('d.closed_at', 'is', null), eb('d.closed_at', '>=', closedBefore)]),
                  ]),
            ),
        ),
      ),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('dossier_files as f').select('f.id').whereRef('f.stored_file_id', '=', 's.id'),
      ),
    )
    .$if('id' in page, (q) => q.where('s.id', '=', (page as { id: number }).id))
    .$if('afterId' in page, (q) => q.where('s.id', '>', (page as { afterId: number }).afterId))
    .orderBy('s.id')
    .limit('limit' in page ? page.limit : 1)
    .execute();
}

/** Tombstones a stored file (its bytes are being deleted): the record of what was there stays. */
export async function tombstoneStoredFile(
  tx: Tx,
  id: number,
  at: string,
  reason: string,
): Promise<boolean> {
  const r = await tx
    .updateTable('stored_files')
    .set({ deleted_at: at, deleted_reason: reason })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function tombstonedAfter(
  db: Db,
  afterId: number,
  limit: number,
): Promise<{ id: number; sha256: string }[]> {
  return db
    .selectFrom('stored_files')
    .select(['id', 'sha256'])
    .where('deleted_at', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Every stored file that should have bytes (for `npm run files:verify`), by id. */
export async function liveStoredFilesAfter(
  db: Db,
  afterId: number,
  limit: number,
): Promise<{ id: number; sha256: string; size: number }[]> {
  return db
    .selectFrom('stored_files')
    .select(['id', 'sha256', 'size'])
    .where('deleted_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
