import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, DossierTable } from '../db/schema.js';

type Db = Kysely<Database>;

/** The whole catalog, retired procedures included: history may name them. */
export async function findCatalogForImport(db: Db) {
  return db.selectFrom('procedures').select(['id', 'code', 'name', 'report_group', 'processing_days']).execute();
}

/** Dossiers already holding any of `codes`, with the import key they came with (if any). */
export async function findDossiersByCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('dossiers').select(['code', 'import_key']).where('code', 'in', codes).execute();
}

/** Which of `keys` were imported before. */
export async function findImportKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('dossiers').select('import_key').where('import_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.import_key!));
}

export async function insertImportRun(tx: Db, run: Insertable<Database['imports']>): Promise<number> {
  const row = await tx.insertInto('imports').values(run).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImportRun(tx: Db, id: number, counts: { imported_count: number; skipped_count: number; row_count: number }): Promise<void> {
  await tx.updateTable('imports').set(counts).where('id', '=', id).execute();
}

type ImportedDossierRow = Insertable<DossierTable> & { import_id: number; import_key: string };

/** Inserts imported dossiers in one statement; returns their ids by import key. */
export async function insertImportedDossiers(tx: Db, rows: ImportedDossierRow[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const inserted = await tx.insertInto('dossiers').values(rows as Insertable<DossierTable>[]).returning(['id', 'import_key']).execute();
  return new Map(inserted.map((r) => [r.import_key!, r.id]));
}

export async function setDossierCode(tx: Db, id: number, code: string): Promise<void> {
  await tx.updateTable('dossiers').set({ code }).where('id', '=', id).execute();
}

/**
 * Moves an office's daily sequence past a number already used by an imported code, so codes
 * generated later (by this import or at the counter) never repeat it.
 */
export async function raiseDailySequence(tx: Db, officeId: number, day: string, atLeast: number): Promise<void> {
  await tx
    .insertInto('code_sequences')
    .values({ office_id: officeId, day, last_number: atLeast })
    .onConflict((oc) => oc.columns(['office_id', 'day']).doUpdateSet({
      last_number: sql<number>`case when excluded.last_number > code_sequences.last_number then excluded.last_number else code_sequences.last_number end`,
    }))
    .execute();
}

export async function findImportRuns(db: Db, limit = 20) {
  return db
    .selectFrom('imports as i')
    .innerJoin('offices as o', 'o.id', 'i.office_id')
    .innerJoin('accounts as a', 'a.id', 'i.account_id')
    .select(['i.id', 'i.at', 'i.file_name', 'i.row_count', 'i.imported_count', 'i.skipped_count', 'o.name as office_name', 'o.code as office_code', 'a.full_name as account_name'])
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}
