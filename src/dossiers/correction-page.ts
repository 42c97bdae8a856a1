import type { CurrentAccount } from '../current-account.js';
import { vi } from '../locale/vi.js';
import { activeProcedures } from '../procedures/procedures.service.js';
import type { FieldView } from './dossier-page.presenter.js';
import { dueFor, loadCorrectable, type CorrectionDeps } from './intake/index.js';
import { findDossierDocuments } from './record/index.js';

const L = vi.correction;
const F = L.field;

/** The applicant's fields, as the shared form-field partial renders them (same names as intake). */
function applicantFields(): FieldView[] {
  return [
    { name: 'personal_id', label: F.personal_id!, type: 'text', max: 20 },
    { name: 'applicant_name', label: F.applicant_name!, type: 'text', max: 100 },
    { name: 'birth_date', label: F.birth_date!, type: 'date' },
    {
      name: 'sex',
      label: F.sex!,
      type: 'select',
      blank: '—',
      options: [
        ['male', `1 · ${vi.dossiers.sex.male}`],
        ['female', `2 · ${vi.dossiers.sex.female}`],
      ],
    },
    { name: 'phone', label: F.phone!, type: 'text', max: 20 },
    { name: 'email', label: F.email!, type: 'text', max: 120 },
    { name: 'address', label: F.address!, type: 'text', max: 300, wide: true },
  ];
}

function vehicleFields(firstRegistration: boolean): FieldView[] {
  const fields: FieldView[] = [
    {
      name: 'vehicle_kind',
      label: F.vehicle_kind!,
      type: 'select',
      blank: '—',
      options: Object.entries(vi.dossiers.vehicleKind) as [string, string][],
    },
    { name: 'vehicle_id', label: F.vehicle_id!, type: 'text', max: 30 },
  ];
  if (firstRegistration)
    fields.push(
      { name: 'vehicle_frame_no', label: F.vehicle_frame_no!, type: 'text', max: 30 },
      { name: 'vehicle_engine_no', label: F.vehicle_engine_no!, type: 'text', max: 30 },
      { name: 'vehicle_brand', label: F.vehicle_brand!, type: 'text', max: 60 },
      { name: 'vehicle_colour', label: F.vehicle_colour!, type: 'text', max: 40 },
    );
  return fields;
}

/** Where the cursor goes when fields were refused: the first of these with an error. */
const FOCUS_ORDER = [
  'procedure_code',
  'documents',
  'personal_id',
  'applicant_name',
  'birth_date',
  'sex',
  'phone',
  'email',
  'address',
  'vehicle_kind',
  'vehicle_id',
  'vehicle_frame_no',
  'vehicle_engine_no',
  'vehicle_brand',
  'vehicle_colour',
  'reason',
];

export type FormValues = Record<string, string | string[] | undefined>;

/**
 * The correction page of a dossier: its form pre-filled with the dossier as it stands (or the
 * values typed), the procedure chosen with its checklist, and the due date now and with that
 * procedure (counted from the receipt with the intake's calendar code). Refuses as the
 * correction itself does (outside the window 409, another officer 403).
 */
export async function correctionPage(
  deps: CorrectionDeps,
  account: CurrentAccount,
  ref: string,
  typed: FormValues | null,
  errors: Record<string, string> = {},
) {
  const { dossier } = await loadCorrectable(deps, account, ref);
  const chosenCode =
    typeof typed?.procedure_code === 'string' && typed.procedure_code
      ? typed.procedure_code
      : dossier.procedure_code;
  const chosen = (await deps.masterData.procedure(chosenCode)) ?? null;
  const procedure =
    chosen && chosen.active ? chosen : (await deps.masterData.procedure(dossier.procedure_code))!;
  const [papers, all] = await Promise.all([
    findDossierDocuments(deps.db, dossier.id),
    activeProcedures(deps),
  ]);
  const received = new Set(papers.filter((p) => p.received === 1).map((p) => p.name));
  // Fresh from the dossier; a procedure changed on the page keeps what was typed, and ticks the
  // papers of the new checklist that were received under the same name.
  const values: FormValues = typed
    ? { ...typed, procedure_code: procedure.code }
    : {
        procedure_code: procedure.code,
        applicant_name: dossier.applicant_name,
        personal_id: dossier.personal_id ?? '',
        birth_date: dossier.birth_date ?? '',
        sex: dossier.sex ?? '',
        phone: dossier.phone ?? '',
        email: dossier.email ?? '',
        address: dossier.address,
        vehicle_kind: dossier.vehicle_kind ?? '',
        vehicle_id: dossier.vehicle_id ?? '',
        vehicle_frame_no: dossier.vehicle_frame_no ?? '',
        vehicle_engine_no: dossier.vehicle_engine_no ?? '',
        vehicle_brand: dossier.vehicle_brand ?? '',
        vehicle_colour: dossier.vehicle_colour ?? '',
        reason: '',
      };
  const typedPapers = typed ? [typed.documents ?? []].flat() : null;
  const switched = typed?.switched === '1';
  const ticked = new Set(
    typedPapers && !switched
      ? typedPapers
      : procedure.documents.filter((d) => received.has(d.name)).map((d) => String(d.id)),
  );
  const due = await dueFor(deps, dossier, procedure.processing_days);
  // The cursor: the first field refused; after "Đổi thủ tục", the new checklist; else the procedure.
  const focus =
    FOCUS_ORDER.find((n) => errors[n]) ??
    (typed?.switched === '1' ? 'documents' : 'procedure_code');
  const withFocus = (fields: FieldView[]) =>
    fields.map((f) => (f.name === focus ? { ...f, autofocus: true } : f));
  return {
    title: L.title(dossier.code!),
    dossier,
    procedure,
    procedureOptions: all.map((p) => [
      p.code,
      `${p.name} · ${p.processing_days === 0 ? L.sameDay : L.workingDays(p.processing_days)} (${p.code})`,
    ]),
    checklist: procedure.documents.map((d) => ({
      id: String(d.id),
      label: d.name,
      detail: `${vi.dossiers.copyKind[d.copy_kind] ?? d.copy_kind}, ${L.copies(d.quantity)}`,
      required: d.required === 1,
      ticked: ticked.has(String(d.id)),
    })),
    applicantFields: withFocus(applicantFields()),
    vehicleFields: withFocus(
      procedure.is_vehicle ? vehicleFields(procedure.first_registration === 1) : [],
    ),
    focus,
    reasonField: {
      name: 'reason',
      label: L.reason,
      type: 'textarea',
      max: 1000,
      hint: L.reasonHint,
      wide: true,
      autofocus: focus === 'reason',
    } satisfies FieldView,
    values,
    errors,
    dueNow: dossier.due_on,
    dueWillBe: { dueOn: due.dueOn, days: procedure.processing_days },
    procedureChanged: procedure.code !== dossier.procedure_code,
  };
}

export type CorrectionPage = Awaited<ReturnType<typeof correctionPage>>;
