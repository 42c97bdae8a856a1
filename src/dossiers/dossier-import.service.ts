import type { Db, Tx } from '../db/database.js';
import { allocateDailySequence } from './dossiers.repository.js';
import * as repo from './imported-dossiers.repository.js';

export type { ImportedDossierRow } from './imported-dossiers.repository.js';
export { recordFirstDossierEvents } from './dossier-events.js';

/**
 * What the tracking-book import may do to dossiers: imported history is ordinary dossiers, so
 * the dossiers feature writes them and the import calls here (it owns only its runs).
 */

/** Dossiers already holding any of `codes`, with the import key they came with (if any). */
export const dossiersWithCodes = (db: Db, codes: string[]) => repo.findDossiersByCodes(db, codes);
/** Which of `keys` were imported before. */
export const importedKeys = (db: Db, keys: string[]) => repo.findImportKeys(db, keys);
/** Inserts imported dossiers in one statement; returns their ids by import key. */
export const insertImportedDossiers = (tx: Tx, rows: repo.ImportedDossierRow[]) => repo.insertImportedDossiers(tx, rows);
export const setImportedDossierCode = (tx: Tx, id: number, code: string) => repo.setDossierCode(tx, id, code);
/** Keeps later codes of that office and day above a number the file used. */
export const reserveSequenceUpTo = (tx: Tx, officeId: number, day: string, atLeast: number) => repo.raiseDailySequence(tx, officeId, day, atLeast);
/** The next number of an office's daily code sequence (for rows the file gave no code). */
export const nextSequenceNumber = (tx: Tx, officeId: number, day: string) => allocateDailySequence(tx, officeId, day);
