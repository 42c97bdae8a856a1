/**
 * The dossier feature as other features and the app see it (docs/ARCHITECTURE.md "The dossier
 * feature"): its routers, and the few things other features use. Inside, each room (record/,
 * actions/, policy/, handover/, slips/, intake/, workflow/, archive/) is used by the others
 * through its own index.
 */
export { dossierApiRoutes, listQuery } from './dossiers.api.js';
export { dossierRoutes } from './dossiers.routes.js';
export { postalApiRoutes } from './postal.api.js';
export { postalDeliverySchema } from './workflow/index.js';
export { intakeRoutes } from './intake.routes.js';
export { worklistRoutes } from './worklist.routes.js';
export { actionInputSchema, type ActionName } from './actions/index.js';
export {
  combineExtensions,
  type DossierChange,
  type DossierExtension,
  type DossierExtensions,
  type SlipBlock,
  type WorklistBlock,
} from './extensions.js';
export { handoverInputSchema } from './handover/index.js';
export {
  checkIntake,
  correctionInputSchema,
  intakeInputSchema,
  receiveDossier,
  type IntakeTicket,
  type IntakeTickets,
} from './intake/index.js';
export {
  reserveIntakeNumbers,
  type IntakeClaim,
  canonicalPlate,
  loadAccessibleDossier,
  checkPersonalId,
  classifyOutcome,
  displayPlate,
  codeDay,
  dossierForPickup,
  dueExplanationOf,
  formatDossierCode,
  groupSkippedDays,
  hashLookupKey,
  latestSupplementRequest,
  lookupKeyMatches,
  normalizeLookupKey,
  parseDossierCode,
  reportGroupOf,
  type DossierStatus,
  type Outcome,
  type SkippedRun,
  type StoredDueExplanation,
  type VehicleKind,
} from './record/index.js';
