import type { Role, StepKind, UnitRole } from '../../db/schema.js';

/**
 * Who may do what to a dossier: one pure function over the facts, tested as a table of cases
 * (docs/ARCHITECTURE.md "Who may act"). Every page, API answer and service asks here: the
 * actions a page offers are the ones `decide` allows, and a service refuses what it refuses.
 *
 * The facts: the account (role, counter duty, memberships of processing units), the dossier's
 * office and whether the account's scope covers it, the open step (kind, unit, holder), who
 * finished its processing steps, and the office's setting on supervisors acting in a unit's
 * place. A verb's `who` (the action table's, or the verbs below) names the duties that may
 * take it; the function works out which duties the account has on this dossier now.
 */

/** A duty on a dossier: what makes an account one of those who may take a verb. */
export type Duty =
  /** Works at the counter of the dossier's office (tiếp nhận và trả kết quả). */
  | 'counter'
  /** Holds the open step by name. */
  | 'holder'
  /** A processor or approver of the unit that holds the open step. */
  | 'unit_member'
  /** An approver (lãnh đạo đơn vị) of the unit that holds the open step. */
  | 'unit_approver'
  /** A supervisor or administrator of an office whose dossiers the account sees. */
  | 'supervisor'
  /** The officer who received the dossier at the counter. */
  | 'receiver'
  /** A supervisor or administrator of the dossier's own office (not of an office above it). */
  | 'office_supervisor';

/** Which duties may take a verb, per the kind of the open step ('none': no open step). */
export type Who = Partial<Record<StepKind | 'none' | 'any', readonly Duty[]>>;

export interface PolicyFacts {
  account: {
    id: number;
    role: Role;
    counterDuty: boolean;
    officeId: number;
    memberships: readonly { unit_id: number; role: UnitRole }[];
  };
  dossier: {
    office_id: number;
    /** Who received it, and the local day (Vietnam) it was received; unknown for the old rules. */
    received_by?: number | null;
    received_on?: string | null;
  };
  /** Today's local date (Vietnam), from the injected clock: verbs bounded to a day read it. */
  today?: string;
  /**
   * Whether the dossier has left the reception: any step after it, the reception step closed, or
   * no step at all (imported history). Unknown counts as handed on.
   */
  handedOn?: boolean;
  /** The offices whose dossiers the account may see (office scope). */
  scope: readonly number[];
  /** The open step, or null (none yet, closed, or history imported without steps). */
  openStep: { kind: StepKind; unit_id: number | null; holder_account_id: number | null } | null;
  /** Accounts that finished a processing step of this dossier by handing it on. */
  processedBy: readonly number[];
  /** The office lets its supervisors act in a processing unit's place. */
  supervisorActsForUnits: boolean;
}

export type Refusal =
  /** Another office's dossier: answered as "not found" so codes cannot be probed. */
  | 'out_of_scope'
  | 'counter_only'
  | 'not_your_unit'
  | 'not_holder'
  | 'approver_only'
  /** Separation of duties: the account processed this dossier and may not approve it. */
  | 'own_work'
  /** A supervisor, where the office does not let supervisors act in a unit's place. */
  | 'not_for_supervisors'
  /** Correcting an intake: neither the officer who received it nor a supervisor of its office. */
  | 'not_receiver'
  /** Correcting an intake after the local day it was received. */
  | 'correction_day_over'
  /** Correcting an intake after it was handed on (a step after the reception). */
  | 'correction_handed_on'
  | 'not_allowed';

export type Verdict = { allowed: true; onBehalf: boolean } | { allowed: false; refusal: Refusal };

/** Verbs that are not workflow actions (those are in the action table with their own `who`). */
export const PAGE_VERBS = {
  /** A new receipt reissues the lookup key (the old slip stops working): the counter's alone. */
  reprint_receipt: { any: ['counter'] },
  /** The citizen's choice of messages, changed when they are at the counter. */
  change_consent: { any: ['counter', 'supervisor'] },
} as const satisfies Record<string, Who>;

const isLeader = (role: Role) => role === 'supervisor' || role === 'admin';

/** The duties the account has on the dossier now, and which of them it holds only by standing in for a unit. */
export function dutiesOf(facts: PolicyFacts): { duties: Set<Duty>; standIn: Set<Duty> } {
  const { account, openStep } = facts;
  const duties = new Set<Duty>();
  const standIn = new Set<Duty>();
  if (account.counterDuty && account.officeId === facts.dossier.office_id) duties.add('counter');
  if (isLeader(account.role)) duties.add('supervisor');
  if (isLeader(account.role) && account.officeId === facts.dossier.office_id)
    duties.add('office_supervisor');
  if (facts.dossier.received_by != null && facts.dossier.received_by === account.id)
    duties.add('receiver');
  if (openStep) {
    if (openStep.holder_account_id === account.id) duties.add('holder');
    const unit = openStep.unit_id;
    // An office without processing units: its leaders are the unit (nobody to stand in for).
    if (unit === null && isLeader(account.role)) {
      duties.add('unit_member');
      duties.add('unit_approver');
    }
    if (unit !== null) {
      const membership = account.memberships.filter((m) => m.unit_id === unit);
      if (membership.length) duties.add('unit_member');
      if (membership.some((m) => m.role === 'approver')) duties.add('unit_approver');
      // A supervisor stands in for the unit only where the office says so.
      if (isLeader(account.role) && facts.supervisorActsForUnits) {
        for (const d of ['unit_member', 'unit_approver'] as const)
          if (!duties.has(d)) {
            duties.add(d);
            standIn.add(d);
          }
      }
    }
  }
  return { duties, standIn };
}

/** What `who` asks of a dossier whose open step is `kind`. */
export function dutiesFor(who: Who, kind: StepKind | null): readonly Duty[] {
  return who[kind ?? 'none'] ?? who.any ?? [];
}

/**
 * Whether the account may take a verb whose `who` is given, on this dossier, now. Separation of
 * duties: approving (and taking an approval step) is never allowed to an account that handed a
 * processing step of the dossier on, a supervisor included.
 */
export function decide(
  who: Who,
  facts: PolicyFacts,
  options: { approves?: boolean } = {},
): Verdict {
  if (!facts.scope.includes(facts.dossier.office_id))
    return { allowed: false, refusal: 'out_of_scope' };
  const kind = facts.openStep?.kind ?? null;
  const asked = dutiesFor(who, kind);
  if (asked.length === 0) return { allowed: false, refusal: 'not_allowed' };
  const { duties, standIn } = dutiesOf(facts);
  const matching = asked.filter((d) => duties.has(d));
  if (matching.length === 0) return { allowed: false, refusal: refusalFor(asked, duties, facts) };
  if (options.approves && facts.processedBy.includes(facts.account.id))
    return { allowed: false, refusal: 'own_work' };
  return { allowed: true, onBehalf: matching.every((d) => standIn.has(d)) };
}

/** The most telling reason for a refusal: what the account lacks that the verb asks for. */
function refusalFor(asked: readonly Duty[], duties: Set<Duty>, facts: PolicyFacts): Refusal {
  const unitDuties: readonly Duty[] = ['holder', 'unit_member', 'unit_approver'];
  const unitOnly = asked.every((d) => unitDuties.includes(d));
  if (unitOnly) {
    if (isLeader(facts.account.role) && facts.openStep?.unit_id != null)
      return 'not_for_supervisors';
    if (!asked.includes('holder') && !asked.includes('unit_member')) return 'approver_only';
    if (duties.has('unit_member')) return asked.includes('holder') ? 'not_holder' : 'approver_only';
    return 'not_your_unit';
  }
  if (asked.length === 1 && asked[0] === 'counter') return 'counter_only';
  if (asked.includes('receiver')) return 'not_receiver';
  return 'not_allowed';
}

/**
 * The window in which a wrong intake may be corrected (docs/DECISIONS.md): the local day it was
 * received, and only while nothing was handed on. Null when open, else why it is closed. The
 * status is the action table's (`from`); this is the rest.
 */
export function intakeCorrectionWindow(
  facts: Pick<PolicyFacts, 'dossier' | 'today' | 'handedOn'>,
): Refusal | null {
  if (facts.handedOn !== false) return 'correction_handed_on';
  if (!facts.today || !facts.dossier.received_on || facts.dossier.received_on !== facts.today)
    return 'correction_day_over';
  return null;
}

/**
 * Whether the account may correct the intake now: the office scope, then the window, then who
 * (the officer who received it, or a supervisor of its office).
 */
export function decideCorrection(who: Who, facts: PolicyFacts): Verdict {
  if (!facts.scope.includes(facts.dossier.office_id))
    return { allowed: false, refusal: 'out_of_scope' };
  const closed = intakeCorrectionWindow(facts);
  if (closed) return { allowed: false, refusal: closed };
  return decide(who, facts);
}
