import type { DossierRow } from '../../db/schema.js';
import { decide, decideCorrection, dutiesFor, type PolicyFacts } from '../policy/dossier-policy.js';
import {
  ACTION_NAMES,
  ACTIONS,
  approvesAt,
  stateAllows,
  type ActionName,
  type ConditionFacts,
} from './action-table.js';

/**
 * The actions an account may take on a dossier now: the table's state rules (status, "once",
 * the open step's kind, an unclaimed step to claim) and the policy's answer for this account.
 * Pure. The page offers exactly these, the API lists them, and each service re-checks the same.
 */
export function allowedActions(
  dossier: Pick<DossierRow, 'status'> & ConditionFacts,
  facts: PolicyFacts,
): ActionName[] {
  const kind = facts.openStep?.kind ?? null;
  return ACTION_NAMES.filter((action) => {
    const spec = ACTIONS[action];
    if (!stateAllows(action, dossier)) return false;
    if (dutiesFor(spec.who, kind).length === 0) return false;
    if (action === 'claim' && facts.openStep?.holder_account_id != null) return false;
    // The correction of an intake has a window of its own (its day, nothing handed on).
    if (spec.kind === 'correction') return decideCorrection(spec.who, facts).allowed;
    return decide(spec.who, facts, { approves: approvesAt(action, kind) }).allowed;
  });
}
