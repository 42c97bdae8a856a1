import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FinishedStepRow, OpenStepAlertRow } from './step-tally.js';

type Db = Kysely<Database>;

/** The report's reads of dossier steps (a read model across dossier_steps and units). */

/** Steps finished in [startIso, endIso) in the offices. */
export async function findFinishedSteps(
  db: Db,
  officeIds: number[],
  startIso: string,
  endIso: string,
): Promise<FinishedStepRow[]> {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('dossier_steps')
    .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
    .select([
      'dossier_steps.kind',
      'dossier_steps.unit_id',
      'processing_units.name as unit_name',
      'dossier_steps.holder_account_id',
      'dossier_steps.holder_name',
      'dossier_steps.outcome',
      'dossier_steps.worked_minutes',
    ])
    .where('dossier_steps.office_id', 'in', officeIds)
    .where('dossier_steps.finished_at', '>=', startIso)
    .where('dossier_steps.finished_at', '<', endIso)
    .execute();
}

/** Steps open at `asOfIso` that are overdue or at risk then. */
export async function findOpenStepAlerts(
  db: Db,
  officeIds: number[],
  asOfIso: string,
): Promise<OpenStepAlertRow[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('dossier_steps')
    .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
    .select([
      'dossier_steps.unit_id',
      'processing_units.name as unit_name',
      'dossier_steps.holder_account_id',
      'dossier_steps.holder_name',
    ])
    .select(
      sql<string>`case when dossier_steps.due_at < ${asOfIso} then 'overdue' else 'at_risk' end`.as(
        'alert',
      ),
    )
    .where('dossier_steps.office_id', 'in', officeIds)
    .where('dossier_steps.started_at', '<', asOfIso)
    .where((eb) =>
      eb.or([
        eb('dossier_steps.finished_at', 'is', null),
        eb('dossier_steps.finished_at', '>=', asOfIso),
      ]),
    )
    .where('dossier_steps.risk_at', '<=', asOfIso)
    .execute();
  return rows as OpenStepAlertRow[];
}

/** Imported dossiers received in the period: they have no steps. */
export async function countImportedWithoutSteps(
  db: Db,
  officeIds: number[],
  fromDay: string,
  toDay: string,
): Promise<number> {
  if (officeIds.length === 0) return 0;
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', 'in', officeIds)
    .where('import_id', 'is not', null)
    .where('received_on', '>=', fromDay)
    .where('received_on', '<=', toDay)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
