/**
 * The dossier after the counter: its steps (holder, deadline, outcome), handovers between the
 * counter and the processing units, worklists, and the facts the policy decides on.
 */
export { handOverTarget, reworkTarget } from './handover-rules.js';
export { handoverInputSchema, performHandover } from './handover.service.js';
export { policyFacts } from './policy-facts.service.js';
export {
  needsApologyPrompt,
  RISK_SHARE,
  stepAlert,
  stepOutcome,
  stepTiming,
  type StepAlert,
  type StepDeadlineExplanation,
  type StepTiming,
} from './step-timing.js';
export {
  findOpenSteps,
  findOpenStepsOfDossiers,
  findStepsOf,
  moveOpenStepsToOffice,
  type OpenStepRow,
  type StepWithUnit,
} from './steps.repository.js';
export {
  closeStep,
  nextPosition,
  openStep,
  openStepOf,
  plannedUnit,
  replanStep,
  stepSettingFor,
  type NewStep,
  type StepPerson,
  type StepSetting,
} from './steps.service.js';
export {
  holderLabelOf,
  presentStep,
  stepsOverview,
  type StepsOverview,
  type StepView,
  type UnitChoice,
} from './steps-view.service.js';
export {
  filterItems,
  WORKLIST_FILTERS,
  WORKLIST_SECTIONS,
  worklistFor,
  type WorkItem,
  type WorklistFilter,
  type WorklistSection,
} from './worklist.service.js';
