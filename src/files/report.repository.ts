import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ReceivedGroup, ResultsGroup } from './digitisation-tally.js';

/**
 * The reads of the digitisation counts (docs/DOMAIN.md §11): dossiers received or given their
 * result in a period, counted; a dossier's checklist and the state of its components' current
 * files (the tracking book's note).
 */

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

/** The dossier's current result files are digitised: its row of dossier_digitisation (alias `g`). */
const electronicResult = sql.raw('coalesce(g.electronic, 0) = 1');

/**
 * The same, asked of the dossier's files: one probe of their index, evaluated for the settled
 * results only (cheaper here than a join to every result's row of dossier_digitisation).
 */
const electronicResultFile = (dossier: string) =>
  sql`exists (select 1 from dossier_files rf where rf.dossier_id = ${sql.ref(dossier)} and rf.component = 'result' and rf.state = 'digitised' and rf.replaced_at is null)`;

/**
 * The accepted dossiers of the offices received on local days from..to, counted per office,
 * procedure and procedure name (in order of each group's first dossier): in the database, not
 * dossier by dossier in JavaScript (28,000 dossiers and 140,000 checklist rows for one month of 20
 * offices on the benchmark: 90 ms of reads and objects, docs/BENCHMARKS.md "Fifth round").
 *
 * A checklist component's state is that of its current files, the strongest if they differ
 * (STATE_PRECEDENCE); one is handed in when ticked or with a file. Each dossier's counts are
 * kept in dossier_digitisation by triggers on its checklist and files (migration 32), so a
 * dossier is one row here, not a subquery per component (a month of 20 offices: 60 → 20 ms).
 * The same definitions as digitisationOf and tallyDigitisation, which
 * test/db/digitisation-counts.test.ts holds it to. The dossiers are read from the board's index,
 * which carries these columns (migration 30).
 */
export async function countReceivedDigitisation(
  db: Db,
  officeIds: number[],
  from: string,
  to: string,
): Promise<ReceivedGroup[]> {
  if (officeIds.length === 0) return [];
  const { rows } = await sql<{
    office_id: number;
    procedure_code: string;
    procedure_name: string;
    first_id: number;
    dossiers: number | string;
    handed: number | string;
    digitised: number | string;
    reused: number | string;
    paper_only: number | string;
    fully: number | string;
    with_digitised: number | string;
    with_reuse: number | string;
  }>`
    select d.office_id, d.procedure_code, d.procedure_name, min(d.id) as first_id,
      count(*) as dossiers,
      coalesce(sum(g.handed), 0) as handed,
      coalesce(sum(g.digitised), 0) as digitised,
      coalesce(sum(g.reused), 0) as reused,
      coalesce(sum(g.paper_only), 0) as paper_only,
      sum(case when g.handed > 0 and g.digitised = g.handed then 1 else 0 end) as fully,
      sum(case when g.digitised > 0 or ${electronicResult} then 1 else 0 end) as with_digitised,
      sum(case when g.reused > 0 then 1 else 0 end) as with_reuse
    from dossiers d
    left join dossier_digitisation g on g.dossier_id = d.id
    where d.office_id in (${sql.join(officeIds)})
      and d.received_on >= ${from} and d.received_on <= ${to}
      and d.intake_outcome = 'accepted'
    group by d.office_id, d.procedure_code, d.procedure_name
  `.execute(db);
  const position = new Map(officeIds.map((id, i) => [id, i]));
  return rows
    .sort(
      (a, b) =>
        position.get(a.office_id)! - position.get(b.office_id)! ||
        Number(a.first_id) - Number(b.first_id),
    )
    .map((r) => ({
      officeId: r.office_id,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      dossiers: Number(r.dossiers),
      handed: Number(r.handed),
      digitised: Number(r.digitised),
      reused: Number(r.reused),
      paperOnly: Number(r.paper_only),
      fullyDigitised: Number(r.fully),
      withDigitised: Number(r.with_digitised),
      withReuse: Number(r.with_reuse),
    }));
}

/**
 * The results of the offices given in [startIso, endIso) of dossiers that still stand settled
 * (result ready or returned), counted per office, procedure and name, with how many were
 * attached electronically; by office, then each group's first dossier.
 *
 * The covering index dossiers_results_given (migration 29) answers the result time; the office
 * and the status are filtered on its entries, before the grouping sorts them, written so that no
 * index can take them (`+d.office_id`, `coalesce(d.status, '')`, the same on both engines). An
 * office in an indexable condition made SQLite walk each office's whole history in the tracking
 * book's index (170 ms of this month's report on the 1,000,000-dossier bench); counted in CASE
 * expressions over every office's results, last month's 20 offices took 15.6 ms, filtered here
 * 11.2 ms, and each half of the offices 6.3 ms (docs/BENCHMARKS.md).
 */
export async function countResultsGiven(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
): Promise<ResultsGroup[]> {
  if (officeIds.length === 0) return [];
  const { rows } = await sql<{
    office_id: number;
    procedure_code: string;
    procedure_name: string;
    first_id: number;
    given: number | string;
    electronic: number | string;
  }>`
    select d.office_id, d.procedure_code, d.procedure_name,
      min(d.id) as first_id,
      count(*) as given,
      sum(case when ${electronicResultFile('d.id')} then 1 else 0 end) as electronic
    from dossiers d
    where d.result_at >= ${startIso} and d.result_at < ${endIso}
      and +d.office_id in (${sql.join(officeIds)})
      and coalesce(d.status, '') in ('result_ready', 'returned')
    group by d.office_id, d.procedure_code, d.procedure_name
  `.execute(db);
  const position = new Map(officeIds.map((id, i) => [id, i]));
  return rows
    .sort(
      (a, b) =>
        position.get(a.office_id)! - position.get(b.office_id)! ||
        Number(a.first_id) - Number(b.first_id),
    )
    .map((r) => ({
      officeId: r.office_id,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      given: Number(r.given),
      electronic: Number(r.electronic),
    }));
}
