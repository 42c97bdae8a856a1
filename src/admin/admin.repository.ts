import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AccountTable, CalendarDayTable, Database, OfficeTable, ProcedureDocumentTable, ProcedureTable } from '../db/schema.js';

type Db = Kysely<Database>;

export async function findAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .innerJoin('offices', 'offices.id', 'accounts.office_id')
    .select(['accounts.id', 'accounts.username', 'accounts.full_name', 'accounts.role', 'accounts.active', 'accounts.locked_until', 'offices.name as office_name'])
    .orderBy('accounts.username')
    .execute();
}

export async function findAccount(db: Db, id: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(db: Db, row: Insertable<AccountTable>): Promise<number> {
  return (await db.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateAccount(db: Db, id: number, patch: Updateable<AccountTable>): Promise<void> {
  await db.updateTable('accounts').set(patch).where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Db, accountId: number): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}

export async function findApiTokens(db: Db, accountId: number) {
  return db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('account_id', '=', accountId).orderBy('id').execute();
}

export async function revokeApiToken(db: Db, accountId: number, tokenId: number, at: string): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findOffice(db: Db, id: number) {
  return db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOfficeByCode(db: Db, code: string) {
  return db.selectFrom('offices').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertOffice(db: Db, row: Insertable<OfficeTable>): Promise<number> {
  return (await db.insertInto('offices').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateOffice(db: Db, id: number, patch: Updateable<OfficeTable>): Promise<void> {
  await db.updateTable('offices').set(patch).where('id', '=', id).execute();
}

export async function findProcedures(db: Db) {
  return db
    .selectFrom('procedures')
    .innerJoin('report_groups', 'report_groups.code', 'procedures.report_group')
    .select(['procedures.id', 'procedures.code', 'procedures.name', 'procedures.processing_days', 'procedures.fee_vnd', 'procedures.active', 'report_groups.name as group_name'])
    .orderBy('report_groups.position')
    .orderBy('procedures.position')
    .execute();
}

export async function findProcedure(db: Db, id: number) {
  return db.selectFrom('procedures').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProcedureByCodeAny(db: Db, code: string) {
  return db.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirst();
}

export async function insertProcedure(db: Db, row: Insertable<ProcedureTable>): Promise<number> {
  return (await db.insertInto('procedures').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateProcedure(db: Db, id: number, patch: Updateable<ProcedureTable>): Promise<void> {
  await db.updateTable('procedures').set(patch).where('id', '=', id).execute();
}

export async function findReportGroups(db: Db) {
  return db.selectFrom('report_groups').selectAll().orderBy('position').execute();
}

export async function findDocuments(db: Db, procedureId: number) {
  return db.selectFrom('procedure_documents').selectAll().where('procedure_id', '=', procedureId).orderBy('position').execute();
}

export async function insertDocument(db: Db, row: Insertable<ProcedureDocumentTable>): Promise<void> {
  await db.insertInto('procedure_documents').values(row).execute();
}

export async function updateDocument(db: Db, procedureId: number, id: number, patch: Updateable<ProcedureDocumentTable>): Promise<boolean> {
  const r = await db.updateTable('procedure_documents').set(patch).where('id', '=', id).where('procedure_id', '=', procedureId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteDocument(db: Db, procedureId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('procedure_documents').where('id', '=', id).where('procedure_id', '=', procedureId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function findCalendarYear(db: Db, year: number) {
  return db.selectFrom('calendar_days').selectAll().where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').execute();
}

export async function insertCalendarDay(db: Db, row: Insertable<CalendarDayTable>): Promise<boolean> {
  const r = await db.insertInto('calendar_days').values(row).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteCalendarDay(db: Db, day: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_days').where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
