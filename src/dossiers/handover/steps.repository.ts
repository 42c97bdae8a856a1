import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { precompiledInsert } from '../../db/precompiled.js';
import type { DossierStepRow, DossierStepTable, StepKind } from '../../db/schema.js';

/**
 * All SQL on dossier_steps: each dossier's steps after the counter (one row per handover).
 * Mutators take the caller's transaction, which also moves the dossier's version on, so a step
 * changes only at the version the user saw.
 */

export type StepWithUnit = DossierStepRow & { unit_name: string | null; unit_code: string | null };

export async function findStepsOf(db: Db, dossierId: number): Promise<StepWithUnit[]> {
  return db
    .selectFrom('dossier_steps')
    .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
    .selectAll('dossier_steps')
    .select(['processing_units.name as unit_name', 'processing_units.code as unit_code'])
    .where('dossier_steps.dossier_id', '=', dossierId)
    .orderBy('dossier_steps.position')
    .execute();
}

// Nothing reads a new step back in its transaction before the next statement that names the
// table: PostgreSQL sends it with the next statement (db/deferred-writes.ts).
const insertStepRows = precompiledInsert('dossier_steps', { deferrable: true });

export async function insertStep(tx: Tx, row: Insertable<DossierStepTable>): Promise<void> {
  await insertStepRows(tx, [row]);
}

/** Finishes an open step; false when it was finished already. */
export async function finishStep(
  tx: Tx,
  id: number,
  patch: Updateable<DossierStepTable>,
): Promise<boolean> {
  const r = await tx
    .updateTable('dossier_steps')
    .set(patch)
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The deadline of an open step, planned again (a corrected intake changed the procedure). */
export async function replanOpenStep(
  tx: Tx,
  id: number,
  patch: Pick<
    Updateable<DossierStepTable>,
    'planned_minutes' | 'due_at' | 'risk_at' | 'due_explanation'
  >,
): Promise<void> {
  await tx
    .updateTable('dossier_steps')
    .set(patch)
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .execute();
}

/** Names the holder of an open step nobody holds; false when somebody took it first. */
export async function claimStep(
  tx: Tx,
  id: number,
  accountId: number,
  name: string,
  onBehalf = false,
): Promise<boolean> {
  const r = await tx
    .updateTable('dossier_steps')
    .set({ holder_account_id: accountId, holder_name: name, on_behalf: onBehalf ? 1 : 0 })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .where('holder_account_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface OpenStepFilter {
  officeIds: number[];
  heldBy?: number;
  /** Open steps of these units (null in the list: the counter's own steps). */
  unitIds?: (number | null)[];
  unheld?: boolean;
  kinds?: StepKind[];
  overdueAt?: string;
  /** At risk at this instant: 75 % of the time used, not yet overdue. */
  atRiskAt?: string;
}

export interface OpenStepRow {
  step_id: number;
  kind: StepKind;
  unit_id: number | null;
  unit_name: string | null;
  holder_account_id: number | null;
  holder_name: string | null;
  started_at: string;
  due_at: string | null;
  risk_at: string | null;
  dossier_id: number;
  code: string | null;
  procedure_name: string;
  applicant_name: string;
  status: string;
  version: number;
  dossier_due_at: string | null;
}

export const WORKLIST_LIMIT = 200;

/** Open steps with their dossiers, the most urgent deadline first (worklists, escalations). */
export async function findOpenSteps(db: Db, f: OpenStepFilter): Promise<OpenStepRow[]> {
  if (f.officeIds.length === 0) return [];
  let q = db
    .selectFrom('dossier_steps')
    .innerJoin('dossiers', 'dossiers.id', 'dossier_steps.dossier_id')
    .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
    .select([
      'dossier_steps.id as step_id',
      'dossier_steps.kind',
      'dossier_steps.unit_id',
      'processing_units.name as unit_name',
      'dossier_steps.holder_account_id',
      'dossier_steps.holder_name',
      'dossier_steps.started_at',
      'dossier_steps.due_at',
      'dossier_steps.risk_at',
      'dossiers.id as dossier_id',
      'dossiers.code',
      'dossiers.procedure_name',
      'dossiers.applicant_name',
      'dossiers.status',
      'dossiers.version',
    ])
    .select((eb) =>
      eb.fn.coalesce('dossiers.rescheduled_due_at', 'dossiers.due_at').as('dossier_due_at'),
    )
    .where('dossier_steps.finished_at', 'is', null)
    .where('dossier_steps.office_id', 'in', f.officeIds);
  if (f.heldBy !== undefined) q = q.where('dossier_steps.holder_account_id', '=', f.heldBy);
  if (f.unheld) q = q.where('dossier_steps.holder_account_id', 'is', null);
  if (f.kinds) q = q.where('dossier_steps.kind', 'in', f.kinds);
  if (f.overdueAt) q = q.where('dossier_steps.due_at', '<', f.overdueAt);
  if (f.atRiskAt)
    q = q
      .where('dossier_steps.risk_at', '<=', f.atRiskAt)
      .where('dossier_steps.due_at', '>=', f.atRiskAt);
  if (f.unitIds) {
    const ids = f.unitIds.filter((id): id is number => id !== null);
    const withCounter = f.unitIds.includes(null);
    q = q.where((eb) => {
      const parts = [];
      if (ids.length) parts.push(eb('dossier_steps.unit_id', 'in', ids));
      if (withCounter) parts.push(eb('dossier_steps.unit_id', 'is', null));
      return parts.length ? eb.or(parts) : sql<boolean>`1 = 0`;
    });
  }
  const rows = await q
    .orderBy(sql`coalesce(dossier_steps.due_at, '9999')`)
    .orderBy('dossier_steps.id')
    .limit(WORKLIST_LIMIT)
    .execute();
  return rows as OpenStepRow[];
}

/** A closed office's open dossiers move to its successor: their open steps go to its counter. */
export async function moveOpenStepsToOffice(
  tx: Tx,
  dossierIds: number[],
  officeId: number,
): Promise<void> {
  if (dossierIds.length === 0) return;
  await tx
    .updateTable('dossier_steps')
    .set({ office_id: officeId, unit_id: null, holder_account_id: null, holder_name: null })
    .where('dossier_id', 'in', dossierIds)
    .where('finished_at', 'is', null)
    .execute();
}

/** The open step of each of these dossiers, with its unit's name (who holds them now). */
export async function findOpenStepsOfDossiers(db: Db, dossierIds: number[]) {
  if (dossierIds.length === 0) return [];
  return db
    .selectFrom('dossier_steps')
    .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
    .select([
      'dossier_steps.dossier_id',
      'dossier_steps.kind',
      'dossier_steps.holder_name',
      'processing_units.name as unit_name',
    ])
    .where('dossier_steps.dossier_id', 'in', dossierIds)
    .where('dossier_steps.finished_at', 'is', null)
    .execute();
}
