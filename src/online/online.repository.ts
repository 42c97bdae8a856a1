import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { precompiled } from '../db/precompiled.js';
import type { OnlineDossierFileTable, OnlineDossierTable, OnlineState } from '../db/schema.js';

/** All SQL of online_dossiers and online_dossier_files (the online inbox). */

export type OnlineDossierRow = Selectable<OnlineDossierTable>;
export type OnlineFileRow = Selectable<OnlineDossierFileTable>;

export async function findOnlineByPortalCode(
  db: Db,
  portalCode: string,
): Promise<OnlineDossierRow | undefined> {
  return db
    .selectFrom('online_dossiers')
    .selectAll()
    .where('portal_code', '=', portalCode)
    .executeTakeFirst();
}

export async function findOnlineById(db: Db, id: number): Promise<OnlineDossierRow | undefined> {
  return db.selectFrom('online_dossiers').selectAll().where('id', '=', id).executeTakeFirst();
}

const onlineByIntakeToken = precompiled(['token'], (db, p) =>
  db.selectFrom('online_dossiers').selectAll().where('intake_token', '=', p.token),
);

/**
 * The online entry a dossier was accepted from (its intake's form token). Every intake asks it
 * (a counter's form has a token too): built and compiled once (db/precompiled.ts).
 */
export async function findOnlineByIntakeToken(
  db: Db | Tx,
  token: string,
): Promise<OnlineDossierRow | undefined> {
  const [entry] = await onlineByIntakeToken(db, { token });
  return entry;
}

/** An office's inbox: what waits for a check first (by its deadline), then the decided ones. */
export async function listInbox(
  db: Db,
  officeId: number,
  states: readonly OnlineState[],
  limit: number,
  offset: number,
): Promise<(OnlineDossierRow & { dossier_code: string | null; files: number })[]> {
  return db
    .selectFrom('online_dossiers as o')
    .leftJoin('dossiers as d', 'd.id', 'o.dossier_id')
    .selectAll('o')
    .select('d.code as dossier_code')
    .select((eb) =>
      eb
        .selectFrom('online_dossier_files as f')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('f.online_dossier_id', '=', 'o.id')
        .where('f.replaced_at', 'is', null)
        .as('files'),
    )
    .where('o.office_id', '=', officeId)
    .where('o.state', 'in', states)
    .orderBy('o.check_due_at')
    .orderBy('o.id')
    .limit(limit)
    .offset(offset)
    .execute() as Promise<(OnlineDossierRow & { dossier_code: string | null; files: number })[]>;
}

export async function currentFilesOf(db: Db, onlineId: number): Promise<OnlineFileRow[]> {
  return db
    .selectFrom('online_dossier_files')
    .selectAll()
    .where('online_dossier_id', '=', onlineId)
    .where('replaced_at', 'is', null)
    .orderBy('document_id')
    .orderBy('position')
    .execute();
}

/** The procedure's documents (names and order), for the entry's components. */
export async function documentNames(db: Db, procedureId: number) {
  return db
    .selectFrom('procedure_documents')
    .select(['id', 'name', 'position'])
    .where('procedure_id', '=', procedureId)
    .orderBy('position')
    .execute();
}

export async function insertOnline(
  tx: Tx,
  row: Insertable<OnlineDossierTable>,
): Promise<OnlineDossierRow> {
  return tx.insertInto('online_dossiers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertOnlineFiles(
  tx: Tx,
  rows: Insertable<OnlineDossierFileTable>[],
): Promise<void> {
  if (rows.length > 0) await tx.insertInto('online_dossier_files').values(rows).execute();
}

export async function replaceOnlineFiles(tx: Tx, onlineId: number, at: string): Promise<void> {
  await tx
    .updateTable('online_dossier_files')
    .set({ replaced_at: at })
    .where('online_dossier_id', '=', onlineId)
    .where('replaced_at', 'is', null)
    .execute();
}

/** Moves an entry on from the state it was read in; false when another request moved it first. */
export async function updateOnlineFrom(
  tx: Tx,
  id: number,
  from: OnlineState,
  patch: Updateable<OnlineDossierTable>,
): Promise<boolean> {
  const r = await tx
    .updateTable('online_dossiers')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function dossierCodeOf(db: Db, dossierId: number): Promise<string | null> {
  const r = await db
    .selectFrom('dossiers')
    .select('code')
    .where('id', '=', dossierId)
    .executeTakeFirst();
  return r?.code ?? null;
}

/** What waits for the counter's check in an office, and how much of it is past its deadline. */
export async function inboxCounts(db: Db, officeId: number, nowIso: string) {
  const r = await db
    .selectFrom('online_dossiers')
    .select((eb) => [
      eb.fn.countAll<number>().as('pending'),
      eb.fn
        .sum<number>(eb.case().when('check_due_at', '<', nowIso).then(1).else(0).end())
        .as('late'),
    ])
    .where('office_id', '=', officeId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(r.pending), late: Number(r.late ?? 0) };
}

/** An office's entries still waiting for their check past its deadline, most overdue first. */
export async function lateChecks(db: Db, officeId: number, nowIso: string, limit: number) {
  return db
    .selectFrom('online_dossiers')
    .select(['id', 'portal_code', 'applicant_name', 'procedure_name', 'check_due_at'])
    .where('office_id', '=', officeId)
    .where('state', '=', 'pending')
    .where('check_due_at', '<', nowIso)
    .orderBy('check_due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
