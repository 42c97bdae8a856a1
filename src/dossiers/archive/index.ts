/**
 * Dossier history as other features touch it from outside the counter: the tracking-book
 * import (imported history is ordinary dossiers), retention, and the move of a closed office's
 * open dossiers to its successor.
 */
export {
  anonymiseClosedBefore,
  countAnonymisable,
  dossiersWithCodes,
  importedKeys,
  insertImportedDossiers,
  nextSequenceNumber,
  openDossierCount,
  recordFirstDossierEvents,
  reserveSequenceUpTo,
  setImportedDossierCode,
  transferOpenDossiers,
  type ImportedDossierRow,
} from './archive.service.js';
