import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { DossierFormRow, RegisteredFormKind } from '../../db/schema.js';

/**
 * All SQL on form_registers and dossier_forms: the numbered forms (02 supplement, 03 refusal,
 * 04 apology, 05 stop) of each office, a register per kind and year.
 */

/** Takes the next number of the office's register (one row lock / write lock, like the codes). */
export async function nextFormNumber(
  tx: Tx,
  officeId: number,
  kind: RegisteredFormKind,
  year: number,
): Promise<number> {
  const row = await tx
    .insertInto('form_registers')
    .values({ office_id: officeId, kind, year, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['office_id', 'kind', 'year'])
        .doUpdateSet({ last_number: sql<number>`form_registers.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertDossierForm(tx: Tx, row: Omit<DossierFormRow, 'id'>): Promise<void> {
  await tx.insertInto('dossier_forms').values(row).execute();
}

export async function findDossierForms(db: Db, dossierId: number): Promise<DossierFormRow[]> {
  return db
    .selectFrom('dossier_forms')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}

/** The tracking-book position of a dossier: its place among the office's receipts of its year. */
export async function trackingBookPosition(
  db: Db,
  officeId: number,
  yearStartIso: string,
  receivedAt: string,
  id: number,
): Promise<number> {
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', '=', officeId)
    .where('intake_outcome', '=', 'accepted')
    .where('received_at', '>=', yearStartIso)
    .where(({ eb, refTuple, tuple }) =>
      eb(refTuple('received_at', 'id'), '<=', tuple(receivedAt, id)),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
