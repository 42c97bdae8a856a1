/** The dossier policy: who may do what to a dossier, in one place (docs/ARCHITECTURE.md). */
export {
  decide,
  decideCorrection,
  dutiesFor,
  dutiesOf,
  intakeCorrectionWindow,
  PAGE_VERBS,
  type Duty,
  type PolicyFacts,
  type Refusal,
  type Verdict,
  type Who,
} from './dossier-policy.js';
export { assertAllowed, refusalError } from './policy-errors.js';
