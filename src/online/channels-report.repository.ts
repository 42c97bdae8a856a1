import type { Db } from '../db/database.js';

/**
 * The reads of the channels report: accepted dossiers received in a period by receiving and
 * return channel, the portal sync rows written in the period with when each reached the portal,
 * the streams failing now, and the postal dispatches of the tracking book's rows.
 */

export interface ChannelCountRow {
  office_id: number;
  receiving_channel: string;
  return_channel: string;
  count: number;
}

/** Accepted dossiers received on local days from..to, per office and channel pair. */
export async function countByChannel(
  db: Db,
  officeIds: number[],
  from: string,
  to: string,
): Promise<ChannelCountRow[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('dossiers')
    .select(({ fn }) => [
      'office_id',
      'receiving_channel',
      'return_channel',
      fn.countAll<number | string>().as('count'),
    ])
    .where('office_id', 'in', officeIds)
    .where('received_on', '>=', from)
    .where('received_on', '<=', to)
    .where('intake_outcome', '=', 'accepted')
    .groupBy(['office_id', 'receiving_channel', 'return_channel'])
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** The sync rows written between two instants, with their office and when they were sent. */
export async function syncRowsIn(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
): Promise<{ office_id: number; created_at: string; sent_at: string | null }[]> {
  if (officeIds.length === 0) return [];
  // One range of the index by office and time per office (migration 33), no stream looked up.
  const rows = await db
    .selectFrom('portal_sync_rows')
    .select(['office_id', 'created_at', 'sent_at'])
    .where('office_id', 'in', officeIds)
    .where('created_at', '>=', startIso)
    .where('created_at', '<', endIso)
    .execute();
  return rows as { office_id: number; created_at: string; sent_at: string | null }[];
}

/** Streams failing now, per office. */
export async function failingStreams(
  db: Db,
  officeIds: number[],
): Promise<{ office_id: number; count: number }[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('portal_sync_streams')
    .select(({ fn }) => ['office_id', fn.countAll<number | string>().as('count')])
    .where('office_id', 'in', officeIds)
    .where('state', '=', 'failing')
    .groupBy('office_id')
    .execute();
  return rows.map((r) => ({ office_id: r.office_id, count: Number(r.count) }));
}

/** The postal dispatches of these dossiers (the tracking book's notes). */
export async function postalDispatches(
  db: Db,
  dossierIds: number[],
): Promise<{ id: number; post_tracking_code: string | null; post_delivered_on: string | null }[]> {
  if (dossierIds.length === 0) return [];
  return db
    .selectFrom('dossiers')
    .select(['id', 'post_tracking_code', 'post_delivered_on'])
    .where('id', 'in', dossierIds)
    .where('post_tracking_code', 'is not', null)
    .execute();
}
