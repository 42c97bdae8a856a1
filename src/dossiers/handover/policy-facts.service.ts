import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import type { DossierRow } from '../../db/schema.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import { accessibleOfficeIds } from '../../office-scope.js';
import { membershipsOf } from '../../units/units.service.js';
import type { PolicyFacts } from '../policy/index.js';
import { findStepsOf, type StepWithUnit } from './steps.repository.js';
import { openStepOf } from './steps.service.js';

/**
 * The facts the dossier policy decides on, read for one account and one dossier: office scope,
 * unit memberships, the open step, who handed a processing step on, the office's setting.
 * `steps` may be passed when the caller has read them already.
 */
export async function policyFacts(
  deps: Deps<'db' | 'masterData' | 'clock'>,
  account: CurrentAccount,
  dossier: Pick<DossierRow, 'id' | 'office_id'> &
    Partial<Pick<DossierRow, 'received_by' | 'received_on'>>,
  steps?: StepWithUnit[],
): Promise<PolicyFacts> {
  const [scope, memberships, rows, offices] = await Promise.all([
    accessibleOfficeIds(deps, account),
    membershipsOf(deps, account.id),
    steps ? Promise.resolve(steps) : findStepsOf(deps.db, dossier.id),
    deps.masterData.offices(),
  ]);
  const office = offices.find((o) => o.id === dossier.office_id);
  return {
    account: {
      id: account.id,
      role: account.role,
      counterDuty: account.counterDuty,
      officeId: account.officeId,
      memberships,
    },
    dossier: {
      office_id: dossier.office_id,
      received_by: dossier.received_by ?? null,
      received_on: dossier.received_on ?? null,
    },
    today: localDateOf(deps.clock.now()),
    // Still at the reception: its one step, the reception, open.
    handedOn: !(rows.length === 1 && rows[0]!.kind === 'reception' && !rows[0]!.finished_at),
    scope,
    openStep: openStepOf(rows),
    processedBy: rows
      .filter((s) => s.kind === 'processing' && s.end_reason === 'handed_over')
      .map((s) => s.finished_by_account_id)
      .filter((id): id is number => id !== null),
    supervisorActsForUnits: office?.supervisor_acts_for_units === 1,
  };
}
