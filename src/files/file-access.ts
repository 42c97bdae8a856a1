/**
 * What may be attached to a dossier in its present state (pure). Components are scanned for an
 * accepted dossier whose personal data is still kept; the result once the dossier is being
 * processed or has its result (a refused, withdrawn or stopped dossier has none, and a dossier
 * waiting for papers has not reached it). Who: the dossier's scope (loadAccessibleDossier) already
 * limits an officer to the office's dossiers, and the processing units' members are accounts of
 * that office, so "a processor or approver of the unit holding it, or an officer of the office"
 * is every account that sees the dossier from that office, plus supervisors and administrators
 * above it, who keep every power (as in the handover rules).
 */
export type AttachRefusal = 'not_accepted' | 'anonymised' | 'result_not_now' | 'not_your_office';

export const RESULT = 'result';

const RESULT_STATES = new Set(['received', 'processing', 'result_ready', 'returned']);

export function attachRefusal(
  account: { role: string; officeId: number },
  dossier: {
    office_id: number;
    intake_outcome: string;
    status: string;
    anonymised_at: string | null;
  },
  component: string,
): AttachRefusal | null {
  if (dossier.intake_outcome !== 'accepted') return 'not_accepted';
  if (dossier.anonymised_at) return 'anonymised';
  if (account.role === 'officer' && account.officeId !== dossier.office_id)
    return 'not_your_office';
  if (component === RESULT && !RESULT_STATES.has(dossier.status)) return 'result_not_now';
  return null;
}

/** DVCQG's TrangThaiSoHoa of a component: 0 not digitised, 1 digitised, 2 reused, 3 reused from a result. */
export function digitisationCode(state: string | null): 0 | 1 | 2 | 3 {
  return state === 'digitised' ? 1 : state === 'reused' ? 2 : state === 'reused_result' ? 3 : 0;
}
