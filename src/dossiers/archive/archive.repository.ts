import { sql, type Insertable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { DossierTable } from '../../db/schema.js';

/**
 * Bulk writes on dossier history: the tracking-book import (imported history is ordinary
 * dossiers; the imports feature owns only its runs) and retention's anonymisation.
 */

/** Dossiers already holding any of `codes`, with the import key they came with (if any). */
export async function findDossiersByCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('dossiers')
    .select(['code', 'import_key'])
    .where('code', 'in', codes)
    .execute();
}

/** Which of `keys` were imported before. */
export async function findImportKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('dossiers')
    .select('import_key')
    .where('import_key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.import_key!));
}

export type ImportedDossierRow = Insertable<DossierTable> & {
  import_id: number;
  import_key: string;
};

/** Inserts imported dossiers in one statement; returns their ids by import key. */
export async function insertImportedDossiers(
  tx: Tx,
  rows: ImportedDossierRow[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const inserted = await tx
    .insertInto('dossiers')
    .values(rows as Insertable<DossierTable>[])
    .returning(['id', 'import_key'])
    .execute();
  return new Map(inserted.map((r) => [r.import_key!, r.id]));
}

export async function setDossierCode(tx: Tx, id: number, code: string): Promise<void> {
  await tx.updateTable('dossiers').set({ code }).where('id', '=', id).execute();
}

/**
 * Moves an office's daily sequence past a number already used by an imported code, so codes
 * generated later (by this import or at the counter) never repeat it.
 */
export async function raiseDailySequence(
  tx: Tx,
  officeId: number,
  day: string,
  atLeast: number,
): Promise<void> {
  await tx
    .insertInto('code_sequences')
    .values({ office_id: officeId, day, last_number: atLeast })
    .onConflict((oc) =>
      oc.columns(['office_id', 'day']).doUpdateSet({
        last_number: sql<number>`case when excluded.last_number > code_sequences.last_number then excluded.last_number else code_sequences.last_number end`,
      }),
    )
    .execute();
}

// ---- Retention (not import, but the same kind of bulk write on history) --------------------

/** Closed dossiers closed before `beforeIso` that still hold personal data. */
export async function countAnonymisable(db: Db, beforeIso: string): Promise<number> {
  return Number(
    (
      await db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('closed_at', '<', beforeIso)
        .where('anonymised_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
}

/** Removes the applicant's personal data from those dossiers; codes, dates and counts stay. */
export async function anonymiseClosedBefore(
  tx: Tx,
  beforeIso: string,
  marker: string,
  nowIso: string,
): Promise<number> {
  const r = await tx
    .updateTable('dossiers')
    .set({
      applicant_name: marker,
      applicant_name_folded: '',
      personal_id: null,
      birth_date: null,
      sex: null,
      phone: null,
      address: '',
      // Where the result was posted is the citizen's address too.
      post_address: null,
      vehicle_id: null,
      vehicle_frame_no: null,
      vehicle_engine_no: null,
      vehicle_brand: null,
      vehicle_colour: null,
      returned_to: null,
      note: '',
      anonymised_at: nowIso,
      updated_at: nowIso,
    })
    .where('closed_at', '<', beforeIso)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- Offices that closed ---------------------------------------------------------------------

/** The open dossiers of an office (not closed, not guided or refused at the counter). */
export async function findOpenDossiersOf(db: Db, officeId: number) {
  return db
    .selectFrom('dossiers')
    .select(['id', 'status', 'version'])
    .where('office_id', '=', officeId)
    .where('closed_at', 'is', null)
    .where('intake_outcome', '=', 'accepted')
    .execute();
}

/** Moves those dossiers to another office; codes, dates and history stay as they are. */
export async function moveDossiersToOffice(
  tx: Tx,
  ids: number[],
  officeId: number,
  nowIso: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .updateTable('dossiers')
      .set((eb) => ({ office_id: officeId, updated_at: nowIso, version: eb('version', '+', 1) }))
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}
