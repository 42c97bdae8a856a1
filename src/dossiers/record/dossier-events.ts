import type { Tx } from '../../db/database.js';
import {
  insertDossierEvent,
  insertFirstDossierEvents,
  type NewDossierEvent,
} from './dossiers.repository.js';

/** One entry of a dossier's timeline, as intake, the workflow, slips and the import record it. */
export interface DossierEventInput {
  dossierId: number;
  at: string;
  /** The officer who acted; null for the system. */
  actor: { id: number; fullName: string } | null;
  action: string;
  from: string | null;
  to: string | null;
  note?: string;
  details?: Record<string, unknown>;
}

function toRow(e: DossierEventInput): NewDossierEvent {
  return {
    dossier_id: e.dossierId,
    at: e.at,
    actor_account_id: e.actor?.id ?? null,
    actor_name: e.actor?.fullName ?? '',
    action: e.action,
    from_status: e.from,
    to_status: e.to,
    note: e.note ?? '',
    details: JSON.stringify(e.details ?? {}),
  };
}

/** Appends an event to the dossier's hash-chained timeline, inside the caller's transaction. */
export async function recordDossierEvent(tx: Tx, event: DossierEventInput): Promise<void> {
  await insertDossierEvent(tx, toRow(event));
}

/**
 * The first events of dossiers created in this transaction: their chains start here, so no
 * previous event is looked up (intake's hot path, and the import's batches).
 */
export async function recordFirstDossierEvents(
  tx: Tx,
  events: DossierEventInput[],
  reservedIds?: readonly number[],
): Promise<void> {
  await insertFirstDossierEvents(tx, events.map(toRow), reservedIds);
}
