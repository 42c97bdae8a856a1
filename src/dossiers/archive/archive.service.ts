import type { Db, Tx } from '../../db/database.js';
import { allocateDailySequence, recordDossierEvent } from '../record/index.js';
import * as repo from './archive.repository.js';
import { moveOpenStepsToOffice } from '../handover/index.js';

export type { ImportedDossierRow } from './archive.repository.js';
export { recordFirstDossierEvents } from '../record/index.js';

/**
 * What other features may do to dossier history: the tracking-book import (imported history is
 * ordinary dossiers, written here; the import owns only its runs) and retention.
 */

/** Dossiers already holding any of `codes`, with the import key they came with (if any). */
export const dossiersWithCodes = (db: Db, codes: string[]) => repo.findDossiersByCodes(db, codes);
/** Which of `keys` were imported before. */
export const importedKeys = (db: Db, keys: string[]) => repo.findImportKeys(db, keys);
/** Inserts imported dossiers in one statement; returns their ids by import key. */
export const insertImportedDossiers = (tx: Tx, rows: repo.ImportedDossierRow[]) =>
  repo.insertImportedDossiers(tx, rows);
export const setImportedDossierCode = (tx: Tx, id: number, code: string) =>
  repo.setDossierCode(tx, id, code);
/** Keeps later codes of that office and day above a number the file used. */
export const reserveSequenceUpTo = (tx: Tx, officeId: number, day: string, atLeast: number) =>
  repo.raiseDailySequence(tx, officeId, day, atLeast);
/** The next number of an office's daily code sequence (for rows the file gave no code). */
export const nextSequenceNumber = (tx: Tx, officeId: number, day: string) =>
  allocateDailySequence(tx, officeId, day);

/** Retention: closed dossiers older than the cut-off that still hold personal data. */
export const countAnonymisable = (db: Db, beforeIso: string) =>
  repo.countAnonymisable(db, beforeIso);
/** Retention: removes their applicant's personal data (codes, dates, outcomes and counts stay). */
export const anonymiseClosedBefore = (tx: Tx, beforeIso: string, marker: string, nowIso: string) =>
  repo.anonymiseClosedBefore(tx, beforeIso, marker, nowIso);

/** How many dossiers an office still has open. */
export const openDossierCount = async (db: Db, officeId: number) =>
  (await repo.findOpenDossiersOf(db, officeId)).length;

/**
 * Moves a closed office's open dossiers to its successor, each with an event on its timeline;
 * codes, dates and history are unchanged (the code still names the office that received it).
 */
export async function transferOpenDossiers(
  tx: Tx,
  from: { id: number; code: string },
  to: { id: number; code: string },
  actor: { id: number; fullName: string },
  nowIso: string,
): Promise<number> {
  const open = await repo.findOpenDossiersOf(tx, from.id);
  await repo.moveDossiersToOffice(
    tx,
    open.map((d) => d.id),
    to.id,
    nowIso,
  );
  await moveOpenStepsToOffice(
    tx,
    open.map((d) => d.id),
    to.id,
  );
  for (const d of open) {
    await recordDossierEvent(tx, {
      dossierId: d.id,
      at: nowIso,
      actor,
      action: 'office.transferred',
      from: d.status,
      to: d.status,
      details: { fromOffice: from.code, toOffice: to.code },
    });
  }
  return open.length;
}
