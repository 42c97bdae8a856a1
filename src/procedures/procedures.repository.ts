import type { Kysely } from 'kysely';
import type { Database, ProcedureDocumentRow, ProcedureRow } from '../db/schema.js';

type Db = Kysely<Database>;

export interface ProcedureWithDocuments extends ProcedureRow {
  reportGroupName: string;
  documents: ProcedureDocumentRow[];
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

export async function findProcedureByCode(db: Db, code: string): Promise<ProcedureWithDocuments | undefined> {
  const procedure = await db
    .selectFrom('procedures')
    .innerJoin('report_groups', 'report_groups.code', 'procedures.report_group')
    .selectAll('procedures')
    .select('report_groups.name as reportGroupName')
    .where('procedures.code', '=', code)
    .executeTakeFirst();
  if (!procedure) return undefined;
  const documents = await db
    .selectFrom('procedure_documents')
    .selectAll()
    .where('procedure_id', '=', procedure.id)
    .orderBy('position')
    .execute();
  return { ...procedure, documents };
}
