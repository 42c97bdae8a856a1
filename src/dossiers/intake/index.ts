/** The counter's intake: the check of a dossier handed in, and its recording (code, due date). */
export { fillFromIdCard, looksLikeIdCardScan, parseIdCardQr, type IdCard } from './id-card-qr.js';
export { checkConsent, checkEmail, checkIntake, type CheckedIntake } from './intake-check.js';
export { INTAKE_MULTILINE, intakeInputSchema, type IntakeInput } from './intake.schemas.js';
export {
  newFormToken,
  receiveDossier,
  type IntakeOutcome,
  type IntakeResult,
} from './intake.service.js';
export type { IntakeTicket, IntakeTickets } from './intake-tickets.js';
export {
  correctIntake,
  correctionInputSchema,
  dueFor,
  loadCorrectable,
  type CorrectionDeps,
  type CorrectionInput,
  type CorrectionResult,
} from './correction.service.js';
export { intakeChanges, type FieldChange } from './correction-changes.js';
