import type { Db } from '../db/database.js';

/**
 * The reads of the digitisation counts (docs/DOMAIN.md §11): dossiers received or given their
 * result in a period, their checklists and the state of their components' current files.
 */

export interface ReceivedDossierRow {
  id: number;
  office_id: number;
  procedure_code: string;
  procedure_name: string;
}

/** Accepted dossiers of an office received on local days from..to (the board's index). */
export async function findReceivedDossiers(
  db: Db,
  officeId: number,
  from: string,
  to: string,
): Promise<ReceivedDossierRow[]> {
  return db
    .selectFrom('dossiers')
    .select(['id', 'office_id', 'procedure_code', 'procedure_name'])
    .where('office_id', '=', officeId)
    .where('received_on', '>=', from)
    .where('received_on', '<=', to)
    .where('intake_outcome', '=', 'accepted')
    .orderBy('id')
    .execute();
}

export async function findChecklists(
  db: Db,
  dossierIds: number[],
): Promise<{ dossier_id: number; procedure_document_id: number; received: number }[]> {
  if (dossierIds.length === 0) return [];
  const rows = await db
    .selectFrom('dossier_documents')
    .select(['dossier_id', 'procedure_document_id', 'received'])
    .where('dossier_id', 'in', dossierIds)
    .where('procedure_document_id', 'is not', null)
    .execute();
  return rows as { dossier_id: number; procedure_document_id: number; received: number }[];
}

/** The state of each component's current files (one state per component and dossier). */
export async function findCurrentStates(
  db: Db,
  dossierIds: number[],
): Promise<{ dossier_id: number; component: string; state: string }[]> {
  if (dossierIds.length === 0) return [];
  return db
    .selectFrom('dossier_files')
    .select(['dossier_id', 'component', 'state'])
    .distinct()
    .where('dossier_id', 'in', dossierIds)
    .where('replaced_at', 'is', null)
    .execute();
}

/**
 * Dossiers of an office whose result was given in [startIso, endIso) and that still stand settled
 * (result ready or returned), with whether the result was attached electronically.
 */
export async function findResultsGiven(
  db: Db,
  officeId: number,
  startIso: string,
  endIso: string,
): Promise<{ id: number; procedure_code: string; procedure_name: string; electronic: number }[]> {
  const rows = await db
    .selectFrom('dossiers as d')
    .select(['d.id', 'd.procedure_code', 'd.procedure_name'])
    .select((eb) =>
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('dossier_files as f')
              .select('f.id')
              .whereRef('f.dossier_id', '=', 'd.id')
              .where('f.component', '=', 'result')
              .where('f.state', '=', 'digitised')
              .where('f.replaced_at', 'is', null),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('electronic'),
    )
    .where('d.office_id', '=', officeId)
    .where('d.result_at', '>=', startIso)
    .where('d.result_at', '<', endIso)
    .where('d.status', 'in', ['result_ready', 'returned'])
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({ ...r, electronic: Number(r.electronic) }));
}
