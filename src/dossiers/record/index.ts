/**
 * The dossier record: the row, its papers, its hash-chained events, statuses, codes and lookup
 * keys, and the pure rules of its fields (ID numbers, plates, due explanations). The other
 * rooms of the dossier feature and other features use it through this file only.
 */
export { loadAccessibleDossier } from './access.service.js';
export {
  isValidEngineNumber,
  isValidFrameNumber,
  normalizeStampedNumber,
} from './applicant-fields.js';
export { latestSupplementRequest } from './citizen-view.service.js';
export {
  codeDay,
  formatDossierCode,
  generateLookupKey,
  hashLookupKey,
  LOOKUP_KEY_ALPHABET,
  LOOKUP_KEY_LENGTH,
  lookupKeyMatches,
  looksLikeDossierCode,
  normalizeLookupKey,
  parseDossierCode,
} from './dossier-code.js';
export {
  recordDossierEvent,
  recordFirstDossierEvents,
  type DossierEventInput,
} from './dossier-events.js';
export {
  classifyOutcome,
  DOSSIER_STATUSES,
  OPEN_STATUSES,
  type DossierStatus,
  type Outcome,
} from './dossier-status.js';
export {
  allocateDailySequence,
  allocateDailySequenceAndIds,
  reserveIntakeNumbers,
  type IntakeClaim,
} from './daily-numbers.repository.js';
export {
  findDossierByCode,
  findDossierById,
  findDossierByFormToken,
  findDossierByRef,
  findDossierByTrackingCode,
  findDossierDocuments,
  findDossierEvents,
  insertDossier,
  newDossierRow,
  insertDossierDocuments,
  replaceDossierDocuments,
  setLookupKeyHash,
  updateDossierAtVersion,
} from './dossiers.repository.js';
export {
  dueExplanationOf,
  groupSkippedDays,
  serializeDue,
  type SkippedRun,
  type StoredDueExplanation,
} from './due-explanation.js';
export { citizenLookupUrl } from './lookup-link.js';
export {
  centurySexDigit,
  checkPersonalId,
  decodePersonalId,
  PROVINCE_CODES,
  type PersonalIdProblem,
  type Sex,
} from './personal-id.js';
export { dossierForPickup } from './pickup.service.js';
export { reportGroupOf, VEHICLE_CATEGORIES, VEHICLE_GROUP } from './report-category.js';
export {
  BOARD_LIST_LIMIT,
  findBoardLists,
  findLatestApplicant,
  searchDossiers,
  type DossierListRow,
  type DossierSearch,
} from './search.repository.js';
export { isSlipKind, SLIP_KINDS, type SlipKind } from './slip-kinds.js';
export {
  canonicalPlate,
  displayPlate,
  formatPlate,
  parseAnyPlate,
  parsePlate,
  plateKindsOf,
  type Plate,
  type VehicleKind,
} from './vehicle-plate.js';
export { returnTicketsOfDossier, ticketOfDossier } from './queue-record.service.js';
export {
  normalizeTrackingCode,
  s10CheckDigit,
  trackingCodeProblem,
  type TrackingCodeProblem,
} from './postal-tracking.js';
