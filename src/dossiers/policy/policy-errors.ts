import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import type { Refusal, Verdict } from './dossier-policy.js';

const E = vi.handover.errors;

/** The domain error of a refusal: another office's dossier is "not found", the rest forbidden. */
export function refusalError(refusal: Refusal): Error {
  switch (refusal) {
    case 'out_of_scope':
      return new NotFoundError(vi.dossiers.errors.notFound, 'dossier_not_found');
    case 'counter_only':
      return new ForbiddenError(E.counterOnly, 'counter_only');
    case 'not_your_unit':
      return new ForbiddenError(E.notYourUnit, 'not_your_unit');
    case 'not_holder':
      return new ForbiddenError(E.notHolder, 'not_holder');
    case 'approver_only':
      return new ForbiddenError(E.approverOnly, 'approver_only');
    case 'own_work':
      return new ForbiddenError(E.ownWork, 'own_work');
    case 'not_for_supervisors':
      return new ForbiddenError(E.notForSupervisors, 'not_for_supervisors');
    case 'not_receiver':
      return new ForbiddenError(vi.correction.errors.notReceiver, 'not_receiver');
    case 'correction_day_over':
      return new ConflictError(vi.correction.errors.dayOver, 'correction_day_over');
    case 'correction_handed_on':
      return new ConflictError(vi.correction.errors.handedOn, 'correction_handed_on');
    case 'not_allowed':
      return new ForbiddenError(E.notAllowed, 'not_allowed');
  }
}

/** Throws the refusal's error unless the verdict allows; returns whether it is on a unit's behalf. */
export function assertAllowed(verdict: Verdict): { onBehalf: boolean } {
  if (!verdict.allowed) throw refusalError(verdict.refusal);
  return { onBehalf: verdict.onBehalf };
}
