import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import type {
  PlannedStepKind,
  ProcedureDocumentRow,
  ProcedureDocumentTable,
  ProcedureRow,
  ProcedureStepPlanRow,
  ProcedureTable,
} from '../db/schema.js';

/** All SQL on the catalog: procedures, procedure_documents, report_groups and procedure_step_plans. */

export interface ProcedureWithDocuments extends ProcedureRow {
  reportGroupName: string;
  documents: ProcedureDocumentRow[];
  /** The stored step plan (empty: the default plan applies). */
  stepPlan: ProcedureStepPlanRow[];
}

export async function findActiveProcedures(db: Db) {
  return db
    .selectFrom('procedures')
    .innerJoin('report_groups', 'report_groups.code', 'procedures.report_group')
    .selectAll('procedures')
    .select('report_groups.name as reportGroupName')
    .where('procedures.active', '=', 1)
    .orderBy('report_groups.position')
    .orderBy('procedures.position')
    .execute();
}

export async function findProcedureByCode(
  db: Db,
  code: string,
): Promise<ProcedureWithDocuments | undefined> {
  const procedure = await db
    .selectFrom('procedures')
    .innerJoin('report_groups', 'report_groups.code', 'procedures.report_group')
    .selectAll('procedures')
    .select('report_groups.name as reportGroupName')
    .where('procedures.code', '=', code)
    .executeTakeFirst();
  if (!procedure) return undefined;
  return {
    ...procedure,
    documents: await findDocuments(db, procedure.id),
    stepPlan: await findStepPlan(db, procedure.id),
  };
}

/** The whole catalog, retired procedures included: history may name them. */
export async function findCatalogForImport(db: Db) {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group', 'processing_days'])
    .execute();
}

export async function findProcedureNames(db: Db) {
  return db.selectFrom('procedures').select(['code', 'name']).execute();
}

export async function findProcedures(db: Db) {
  return db
    .selectFrom('procedures')
    .innerJoin('report_groups', 'report_groups.code', 'procedures.report_group')
    .select([
      'procedures.id',
      'procedures.code',
      'procedures.name',
      'procedures.processing_days',
      'procedures.fee_vnd',
      'procedures.active',
      'report_groups.name as group_name',
    ])
    .orderBy('report_groups.position')
    .orderBy('procedures.position')
    .execute();
}

export async function findProcedure(db: Db, id: number) {
  return db.selectFrom('procedures').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProcedureIdByCode(db: Db, code: string) {
  return db.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirst();
}

export async function insertProcedure(tx: Tx, row: Insertable<ProcedureTable>): Promise<number> {
  return (await tx.insertInto('procedures').values(row).returning('id').executeTakeFirstOrThrow())
    .id;
}

export async function updateProcedure(
  tx: Tx,
  id: number,
  patch: Updateable<ProcedureTable>,
): Promise<void> {
  await tx.updateTable('procedures').set(patch).where('id', '=', id).execute();
}

/** The report groups (the article's categories), in the order reports list them. */
export async function findReportGroups(db: Db) {
  return db.selectFrom('report_groups').selectAll().orderBy('position').execute();
}

export async function findDocuments(db: Db, procedureId: number) {
  return db
    .selectFrom('procedure_documents')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .orderBy('position')
    .execute();
}

export async function insertDocument(
  tx: Tx,
  row: Insertable<ProcedureDocumentTable>,
): Promise<void> {
  await tx.insertInto('procedure_documents').values(row).execute();
}

export async function updateDocument(
  tx: Tx,
  procedureId: number,
  id: number,
  patch: Updateable<ProcedureDocumentTable>,
): Promise<boolean> {
  const r = await tx
    .updateTable('procedure_documents')
    .set(patch)
    .where('id', '=', id)
    .where('procedure_id', '=', procedureId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteDocument(tx: Tx, procedureId: number, id: number): Promise<boolean> {
  const r = await tx
    .deleteFrom('procedure_documents')
    .where('id', '=', id)
    .where('procedure_id', '=', procedureId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function findStepPlan(db: Db, procedureId: number): Promise<ProcedureStepPlanRow[]> {
  return db
    .selectFrom('procedure_step_plans')
    .selectAll()
    .where('procedure_id', '=', procedureId)
    .execute();
}

/** Replaces a procedure's step plan; an empty list removes it (the default plan applies). */
export async function replaceStepPlan(
  tx: Tx,
  procedureId: number,
  steps: { kind: PlannedStepKind; minutes: number; unit_code: string | null }[],
  at: string,
): Promise<void> {
  await tx.deleteFrom('procedure_step_plans').where('procedure_id', '=', procedureId).execute();
  if (steps.length)
    await tx
      .insertInto('procedure_step_plans')
      .values(steps.map((s) => ({ ...s, procedure_id: procedureId, updated_at: at })))
      .execute();
}
