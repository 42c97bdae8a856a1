import type { Db, Tx } from '../db/database.js';
import type { ExpressionBuilder } from 'kysely';
import type { ComponentFileState, Database, StoredContentType } from '../db/schema.js';

/**
 * All SQL of stored_files, dossier_files and file_quotas, and the reads across the dossier's
 * tables that the files' read models need (the dossier's checklist, its applicant's other dossiers).
 */

export interface ComponentRow {
  procedure_document_id: number;
  name: string;
  required: number;
  received: number;
  position: number;
}

/** The dossier's checklist: the procedure's documents it was received with. */
export async function findComponentsOf(db: Db, dossierId: number): Promise<ComponentRow[]> {
  const rows = await db
    .selectFrom('dossier_documents')
    .select(['procedure_document_id', 'name', 'required', 'received', 'position'])
    .where('dossier_id', '=', dossierId)
    .where('procedure_document_id', 'is not', null)
    .orderBy('position')
    .execute();
  return rows as ComponentRow[];
}

export interface FileRow {
  id: number;
  dossier_id: number;
  component: string;
  component_name: string;
  state: ComponentFileState;
  stored_file_id: number | null;
  position: number;
  pages: number;
  reused_from_id: number | null;
  paper_reason: string | null;
  valid_until: string | null;
  created_by: number;
  created_at: string;
  replaced_at: string | null;
  by_name: string;
  sha256: string | null;
  size: number | null;
  content_type: StoredContentType | null;
  deleted_at: string | null;
  /** For a reuse: the code (or id) of the dossier the original belongs to. */
  source_dossier_id: number | null;
  source_dossier_code: string | null;
}

function filesQuery(db: Db | Tx) {
  return db
    .selectFrom('dossier_files as f')
    .innerJoin('accounts as a', 'a.id', 'f.created_by')
    .leftJoin('stored_files as s', 's.id', 'f.stored_file_id')
    .leftJoin('dossier_files as src', 'src.id', 'f.reused_from_id')
    .leftJoin('dossiers as sd', 'sd.id', 'src.dossier_id')
    .select([
      'f.id',
      'f.dossier_id',
      'f.component',
      'f.component_name',
      'f.state',
      'f.stored_file_id',
      'f.position',
      'f.pages',
      'f.reused_from_id',
      'f.paper_reason',
      'f.valid_until',
      'f.created_by',
      'f.created_at',
      'f.replaced_at',
      'a.full_name as by_name',
      's.sha256',
      's.size',
      's.content_type',
      's.deleted_at',
      'src.dossier_id as source_dossier_id',
      'sd.code as source_dossier_code',
    ]);
}

/** Every file row of a dossier (current and replaced), in component and position order. */
export async function findFilesOfDossier(db: Db, dossierId: number): Promise<FileRow[]> {
  return filesQuery(db)
    .where('f.dossier_id', '=', dossierId)
    .orderBy('f.component')
    .orderBy('f.replaced_at', 'desc')
    .orderBy('f.position')
    .orderBy('f.id')
    .execute() as Promise<FileRow[]>;
}

export async function findFileById(db: Db | Tx, id: number): Promise<FileRow | undefined> {
  return filesQuery(db).where('f.id', '=', id).executeTakeFirst() as Promise<FileRow | undefined>;
}

/** The current rows of one component of one dossier. */
export async function findCurrentFiles(
  db: Db | Tx,
  dossierId: number,
  component: string,
): Promise<FileRow[]> {
  return filesQuery(db)
    .where('f.dossier_id', '=', dossierId)
    .where('f.component', '=', component)
    .where('f.replaced_at', 'is', null)
    .orderBy('f.position')
    .execute() as Promise<FileRow[]>;
}

// ---- Writes ------------------------------------------------------------------------------------

export async function findStoredFile(tx: Tx, sha256: string) {
  return tx
    .selectFrom('stored_files')
    .select(['id', 'deleted_at'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function insertStoredFile(
  tx: Tx,
  row: {
    sha256: string;
    size: number;
    content_type: StoredContentType;
    pages: number;
    charged_office_id: number;
    created_at: string;
  },
): Promise<number> {
  const { id } = await tx
    .insertInto('stored_files')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The same bytes stored again after retention deleted them: the tombstone is lifted. */
export async function reviveStoredFile(
  tx: Tx,
  id: number,
  officeId: number,
  at: string,
): Promise<void> {
  await tx
    .updateTable('stored_files')
    .set({ deleted_at: null, deleted_reason: null, charged_office_id: officeId, created_at: at })
    .where('id', '=', id)
    .execute();
}

export async function quotaOf(db: Db | Tx, officeId: number) {
  return db
    .selectFrom('file_quotas')
    .select(['used_bytes', 'files', 'quota_bytes'])
    .where('office_id', '=', officeId)
    .executeTakeFirst();
}

/**
 * Counts bytes against the office's quota, only if they fit (one conditional update: two uploads
 * at once cannot both take the last space). False when they do not fit.
 */
export async function chargeQuota(
  tx: Tx,
  officeId: number,
  bytes: number,
  files: number,
  defaultQuota: number,
): Promise<boolean> {
  await tx
    .insertInto('file_quotas')
    .values({ office_id: officeId, used_bytes: 0, files: 0, quota_bytes: null })
    .onConflict((oc) => oc.column('office_id').doNothing())
    .execute();
  const result = await tx
    .updateTable('file_quotas')
    .set((eb) => ({
      used_bytes: eb('used_bytes', '+', bytes),
      files: eb('files', '+', files),
    }))
    .where('office_id', '=', officeId)
    .where((eb) =>
      eb(eb('used_bytes', '+', bytes), '<=', eb.fn.coalesce('quota_bytes', eb.val(defaultQuota))),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseQuota(
  tx: Tx,
  officeId: number,
  bytes: number,
  files: number,
): Promise<void> {
  await tx
    .updateTable('file_quotas')
    .set((eb) => ({ used_bytes: eb('used_bytes', '-', bytes), files: eb('files', '-', files) }))
    .where('office_id', '=', officeId)
    .execute();
}

/** Marks the component's current rows as replaced (they stay as its history). */
export async function replaceCurrent(
  tx: Tx,
  dossierId: number,
  component: string,
  at: string,
  by: number,
): Promise<void> {
  await tx
    .updateTable('dossier_files')
    .set({ replaced_at: at, replaced_by: by })
    .where('dossier_id', '=', dossierId)
    .where('component', '=', component)
    .where('replaced_at', 'is', null)
    .execute();
}

export async function nextPosition(tx: Tx, dossierId: number, component: string): Promise<number> {
  const row = await tx
    .selectFrom('dossier_files')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('dossier_id', '=', dossierId)
    .where('component', '=', component)
    .where('replaced_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export interface NewFileRow {
  dossier_id: number;
  component: string;
  component_name: string;
  state: ComponentFileState;
  stored_file_id: number | null;
  position: number;
  pages: number;
  reused_from_id: number | null;
  paper_reason: string | null;
  valid_until: string | null;
  created_by: number;
  created_at: string;
}

export async function insertFileRows(tx: Tx, rows: NewFileRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insertInto('dossier_files').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

// ---- Reuse -------------------------------------------------------------------------------------

export interface ReuseCandidateRow {
  id: number;
  dossier_id: number;
  dossier_code: string | null;
  procedure_name: string;
  report_group: string;
  component: string;
  component_name: string;
  position: number;
  pages: number;
  valid_until: string | null;
  created_at: string;
  size: number;
  content_type: StoredContentType;
  stored_file_id: number;
}

/**
 * The digitised originals (components and results) of one person's other dossiers, in the given
 * offices, that are current, intact and not anonymised; newest first.
 */
export async function findDigitisedOfPerson(
  db: Db,
  personalId: string,
  officeIds: number[],
  exceptDossierId: number,
): Promise<ReuseCandidateRow[]> {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('dossiers as d')
    .innerJoin('dossier_files as f', 'f.dossier_id', 'd.id')
    .innerJoin('stored_files as s', 's.id', 'f.stored_file_id')
    .select([
      'f.id',
      'd.id as dossier_id',
      'd.code as dossier_code',
      'd.procedure_name',
      'd.report_group',
      'f.component',
      'f.component_name',
      'f.position',
      'f.pages',
      'f.valid_until',
      'f.created_at',
      's.size',
      's.content_type',
      's.id as stored_file_id',
    ])
    .where('d.personal_id', '=', personalId)
    .where('d.office_id', 'in', officeIds)
    .where('d.id', '!=', exceptDossierId)
    .where('d.anonymised_at', 'is', null)
    .where('f.state', '=', 'digitised')
    .where('f.replaced_at', 'is', null)
    .where('s.deleted_at', 'is', null)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.position')
    .limit(500)
    .execute() as Promise<ReuseCandidateRow[]>;
}

// ---- The citizen's result ---------------------------------------------------------------------

/** How many intact files the dossier's current electronic result has (read from the lookup's database). */
/**
 * How many files of the electronic result the citizen may download (digitised, current, their
 * content kept), as a subquery on the outer query's `dossiers` row: the citizen's lookup reads it
 * with the dossier in its one statement.
 */
export function resultFilesOfDossier(eb: ExpressionBuilder<Database, 'dossiers'>) {
  return eb
    .selectFrom('dossier_files as f')
    .innerJoin('stored_files as s', 's.id', 'f.stored_file_id')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('f.dossier_id', '=', 'dossiers.id')
    .where('f.component', '=', 'result')
    .where('f.state', '=', 'digitised')
    .where('f.replaced_at', 'is', null)
    .where('s.deleted_at', 'is', null);
}

/** What the citizen's download checks: the dossier's ID number, office and state. */
export async function findDossierForResult(db: Db, dossierId: number) {
  return db
    .selectFrom('dossiers')
    .select(['id', 'code', 'office_id', 'personal_id', 'status', 'anonymised_at'])
    .where('id', '=', dossierId)
    .executeTakeFirst();
}
