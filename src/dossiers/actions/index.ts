/** The action table: every action on a dossier, declared once (docs/ARCHITECTURE.md "Actions"). */
export {
  ACTION_NAMES,
  ACTIONS,
  actionsFrom,
  approvesAt,
  DOSSIER_ACTIONS,
  HANDOVER_ACTIONS,
  isActionName,
  isCorrectionAction,
  isDossierAction,
  isHandoverAction,
  nextStatus,
  stateAllows,
  workflowSpec,
  type ActionField,
  type ActionName,
  type ActionStyle,
  type CorrectionAction,
  type CorrectionActionSpec,
  type CitizenMessage,
  type ConditionFacts,
  type ConditionRefusal,
  type DossierAction,
  type HandoverAction,
  type HandoverActionSpec,
  type StepMove,
  type WorkflowActionSpec,
} from './action-table.js';
export { ACTION_MULTILINE, actionInputSchema, type ActionInput } from './action-input.js';
export type { ActionPlan, ActionRules, Planner } from './planners.js';
export { allowedActions } from './allowed.js';
