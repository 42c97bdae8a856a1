import type { DossierFormRow, RegisteredFormKind } from '../../db/schema.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import type { SlipKind } from '../record/slip-kinds.js';
import { headSignatureOf, type HeadSignature, type OfficeSigner } from './head-signature.js';
import { FORM_SUFFIX } from './register-suffix.js';

/**
 * What a printed slip shows beyond the dossier's own columns, decided here rather than in the
 * template (docs/ARCHITECTURE.md "Views"): the event it records, the number it carries, the day
 * on its place-and-date line, and the few facts each kind needs. Pure.
 */
export interface TimelineEvent {
  id: number;
  at: string;
  action: string;
  actor_name: string;
  from_status: string | null;
  to_status: string | null;
  note: string;
  details: Record<string, unknown>;
}

export interface SlipDossier {
  code: string | null;
  received_at: string;
  received_on: string;
  due_at: string | null;
  due_on: string | null;
  rescheduled_due_on: string | null;
  returned_at: string | null;
}

export interface SlipView {
  /** The number on the slip's header ("02/HDHS", "……/HDHS" before one is given, the code). */
  number: string;
  /** The local day of the place-and-date line: the day the slip's act was made. */
  localDate: string;
  /** The event the slip records (null for the receipt of an imported dossier, say). */
  event: TimelineEvent | null;
  /** Who signs a numbered form: the officer who issued it, else the one who acted. */
  signer: string;
  /** The head's signature block (Mẫu 03, 04, a refusal after receipt): from the office. */
  head: HeadSignature;
  /** Who received the dossier at the counter (the receipt's signature). */
  receiverName: string;
  /** Refusal: after receipt the processing body refuses and its head signs; at intake, the counter. */
  afterReceipt: boolean;
  /** Apology: the letter was written after the promised time had passed. */
  late: boolean;
  /** Return: the authorised person's details when not the applicant. */
  authorised: { returnedTo: string; proxyPersonalId: string; authorisation: string } | null;
  /** The supplement guide given at intake (no dossier code then). */
  guide: TimelineEvent | null;
  /** Control slip of history without steps: each status change, and its day against the date. */
  legacyRows: { event: TimelineEvent; timing: 'early' | 'on_time' | 'late' }[];
  /**
   * Control slip: one row per step, as the dossier page's table has them: who gave it, who took
   * it and when, the step's own result and the note written on it; then the return to the citizen.
   */
  controlRows: ControlRow[];
}

/** What the control slip needs of a step (handover/ reads the steps). */
export interface ControlStep {
  kind: string;
  unit_name: string | null;
  holder_name: string | null;
  given_by_name: string;
  started_at: string;
  finished_by_name: string | null;
  end_reason: string | null;
  outcome: string | null;
  note: string;
}

/** A side of a handover: the citizen, or a unit (null place: the counter) and an officer. */
export interface ControlSide {
  citizen: boolean;
  place: string | null;
  name: string;
}

export interface ControlRow {
  giver: ControlSide;
  receiver: ControlSide;
  at: string;
  outcome: string | null;
  note: string;
  /** Why the step ended, where it did not simply move on (sent back, paused for papers). */
  endReason: string | null;
}

const PLAIN_ENDS = ['handed_over', 'approved', 'result_received', 'returned'];

function controlRowsOf(
  steps: ControlStep[],
  dossier: SlipDossier & {
    applicant_name: string;
    returned_to: string | null;
    outcome: string | null;
  },
): ControlRow[] {
  const place = (s: ControlStep) => s.unit_name;
  const rows: ControlRow[] = steps.map((s, i) => {
    const prev = steps[i - 1];
    return {
      giver: prev
        ? { citizen: false, place: place(prev), name: prev.finished_by_name ?? s.given_by_name }
        : { citizen: true, place: null, name: dossier.applicant_name },
      // Who took it: its holder, else whoever finished it from the unit's queue.
      receiver: {
        citizen: false,
        place: place(s),
        name: s.holder_name ?? s.finished_by_name ?? '',
      },
      at: s.started_at,
      outcome: s.outcome,
      note: s.note,
      endReason: s.end_reason && !PLAIN_ENDS.includes(s.end_reason) ? s.end_reason : null,
    };
  });
  const last = steps.at(-1);
  if (dossier.returned_at && last)
    rows.push({
      giver: { citizen: false, place: place(last), name: last.finished_by_name ?? '' },
      receiver: { citizen: true, place: null, name: dossier.returned_to ?? '' },
      at: dossier.returned_at,
      outcome: dossier.outcome,
      note: '',
      endReason: null,
    });
  return rows;
}

const REGISTER_OF: Partial<Record<SlipKind, RegisteredFormKind>> = {
  supplement: 'supplement',
  refusal: 'refusal',
  apology: 'apology',
  stop: 'stop',
};

const last = (events: TimelineEvent[], actions: string[]) =>
  [...events].reverse().find((e) => actions.includes(e.action)) ?? null;
const first = (events: TimelineEvent[], actions: string[]) =>
  events.find((e) => actions.includes(e.action)) ?? null;

const lastForm = (kind: RegisteredFormKind, forms: DossierFormRow[]) =>
  [...forms].reverse().find((f) => f.kind === kind) ?? null;

function registerNumber(kind: RegisteredFormKind, forms: DossierFormRow[]): string {
  const form = lastForm(kind, forms);
  const suffix = FORM_SUFFIX[kind];
  return form ? `${String(form.number).padStart(2, '0')}/${suffix}` : `……/${suffix}`;
}

/** The event each kind of slip records. */
function eventOf(kind: SlipKind, events: TimelineEvent[]): TimelineEvent | null {
  switch (kind) {
    case 'receipt':
      return first(events, ['received']);
    case 'supplement':
      return last(events, ['request_supplement']) ?? first(events, ['guided']);
    case 'refusal':
      return last(events, ['refuse', 'refused_at_intake']);
    case 'apology':
      return first(events, ['reschedule']);
    case 'stop':
      return last(events, ['stop', 'withdraw']);
    case 'return':
      return last(events, ['return_result']);
    case 'control':
      return null;
  }
}

export function slipViewOf(
  kind: SlipKind,
  dossier: SlipDossier & {
    applicant_name: string;
    returned_to: string | null;
    outcome: string | null;
  },
  events: TimelineEvent[],
  forms: DossierFormRow[],
  steps: ControlStep[] = [],
  office: Partial<OfficeSigner> = {},
): SlipView {
  const event = eventOf(kind, events);
  const register = REGISTER_OF[kind];
  const code = dossier.code ?? '';
  const number = register
    ? registerNumber(register, forms)
    : kind === 'control'
      ? `${code}/KS`
      : kind === 'return'
        ? `${code}/TKQ`
        : code;
  const localDate =
    kind === 'receipt' || kind === 'control'
      ? dossier.received_on
      : kind === 'return' && dossier.returned_at
        ? localDateOf(new Date(dossier.returned_at))
        : localDateOf(new Date(event?.at ?? dossier.received_at));
  const returnedBy = kind === 'return' ? event?.details : undefined;
  const dueOn = dossier.rescheduled_due_on ?? dossier.due_on ?? '';
  return {
    number,
    localDate,
    event,
    signer: (register ? lastForm(register, forms)?.signer_name : null) ?? event?.actor_name ?? '',
    head: headSignatureOf(office),
    receiverName: first(events, ['received'])?.actor_name ?? '',
    afterReceipt: kind === 'refusal' && event?.action === 'refuse',
    late: kind === 'apology' && !!dossier.due_at && !!event && event.at > dossier.due_at,
    authorised:
      returnedBy?.returnedBy === 'authorised'
        ? {
            returnedTo: String(returnedBy.returnedTo ?? ''),
            proxyPersonalId: String(returnedBy.proxyPersonalId ?? ''),
            authorisation: String(returnedBy.authorisation ?? ''),
          }
        : null,
    guide: kind === 'supplement' ? first(events, ['guided']) : null,
    legacyRows:
      kind === 'control'
        ? events
            .filter((e) => e.from_status !== e.to_status || e.action === 'received')
            .map((e) => {
              const day = localDateOf(new Date(e.at));
              return {
                event: e,
                timing: day < dueOn ? 'early' : day === dueOn ? 'on_time' : 'late',
              };
            })
        : [],
    controlRows: kind === 'control' ? controlRowsOf(steps, dossier) : [],
  };
}
