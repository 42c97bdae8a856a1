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
 * Dossiers of the offices whose result was given in [startIso, endIso) and that still stand
 * settled (result ready or returned), with whether the result was attached electronically; by
 * office, then id.
 *
 * The WHERE holds only the result time, which the covering index dossiers_results_given answers
 * (migration 29); the offices and the status are checked on its rows here. With the office in SQL,
 * SQLite walked each office's whole history in the tracking book's index (an office at a time:
 * 170 ms of this month's report on the 1,000,000-dossier bench).
 */
export async function findResultsGiven(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
): Promise<
  {
    id: number;
    office_id: number;
    procedure_code: string;
    procedure_name: string;
    electronic: number;
  }[]
> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('dossiers as d')
    .select(['d.id', 'd.office_id', 'd.status', 'd.procedure_code', 'd.procedure_name'])
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
    .where('d.result_at', '>=', startIso)
    .where('d.result_at', '<', endIso)
    .execute();
  const position = new Map(officeIds.map((id, i) => [id, i]));
  return rows
    .filter(
      (r) => position.has(r.office_id) && (r.status === 'result_ready' || r.status === 'returned'),
    )
    .sort((a, b) => position.get(a.office_id)! - position.get(b.office_id)! || a.id - b.id)
    .map((r) => ({
      id: r.id,
      office_id: r.office_id,
      procedure_code: r.procedure_code,
      procedure_name: r.procedure_name,
      electronic: Number(r.electronic),
    }));
}
