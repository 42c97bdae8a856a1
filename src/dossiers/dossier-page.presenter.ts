import type { Config } from '../config.js';
import { vi } from '../locale/vi.js';
import { ACTIONS, type ActionField, type ActionName, type ActionStyle } from './actions/index.js';
import type { DossierDetail } from './detail.service.js';

const P = vi.dossierPage;

/** A field as the shared form-field partial renders it (views/partials/form-fields.ejs). */
export interface FieldView {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'date' | 'select' | 'radio';
  max?: number;
  hint?: string;
  blank?: string;
  wide?: boolean;
  options?: [string | number, string][];
  /** The field the page opens with the cursor in (the first refused one). */
  autofocus?: boolean;
  /** Extra data attributes of each option (the member's unit, for the page's filter). */
  optionData?: Record<string, string>[];
}

/** One action's form on the dossier page, everything decided: the page only renders it. */
export interface ActionFormView {
  action: ActionName;
  id: string;
  label: string;
  style: ActionStyle;
  /** Secondary and dangerous actions fold under their name; open when they just failed. */
  folded: boolean;
  open: boolean;
  fields: FieldView[];
  values: Record<string, string>;
  errors: Record<string, string>;
  hint: string | null;
  /** An action with a page of its own (correcting the intake): a link to it, not a form. */
  href?: string;
}

export interface FailedForm {
  failedAction: string | null;
  values: Record<string, string>;
  errors: Record<string, string>;
}

const MAX: Partial<Record<ActionField, number>> = {
  returned_to: 100,
  proxy_name: 100,
  proxy_personal_id: 20,
  proxy_paper: 300,
  new_due_date: 10,
  post_tracking_code: 30,
};
const TEXTAREAS: readonly ActionField[] = ['reason', 'supplement_what', 'post_address'];

function fieldOf(action: ActionName, name: ActionField, detail: DossierDetail): FieldView {
  const label =
    P.fieldOf[action]?.[name] ??
    (P.fields as Record<string, string>)[name] ??
    vi.post.fields[name]!;
  const { steps } = detail;
  if (name === 'returned_by')
    return {
      name,
      label,
      type: 'radio',
      options: Object.entries(P.returnedBy) as [string, string][],
    };
  if (name === 'new_due_date' || name === 'delivered_on') return { name, label, type: 'date' };
  if (name === 'to_step')
    return { name, label, type: 'select', options: Object.entries(P.toStep) as [string, string][] };
  if (name === 'to_unit')
    return {
      name,
      label,
      type: 'select',
      options: steps.units.map((u) => [u.id, u.name]),
    };
  if (name === 'to_account') {
    const members = steps.units.flatMap((u) => u.members.map((m) => ({ u, m })));
    return {
      name,
      label,
      type: 'select',
      blank: P.unitQueue,
      options: members.map(({ u, m }) => [
        m.account_id,
        P.memberOption(m.full_name, vi.handover.unitRole[m.role] ?? m.role, u.name),
      ]),
      optionData: members.map(({ u }) => ({ unit: String(u.id) })),
    };
  }
  return {
    name,
    label,
    type: TEXTAREAS.includes(name) ? 'textarea' : 'text',
    max: MAX[name] ?? 1000,
  };
}

/** What a field shows before anything was typed. */
function defaultsOf(action: ActionName, detail: DossierDetail): Record<string, string> {
  const { dossier, steps } = detail;
  if (action === 'return_result')
    return { returned_by: 'applicant', returned_to: dossier.applicant_name };
  // The result goes to the address the citizen gave, unless they name another.
  if (action === 'dispatch_by_post') return { post_address: dossier.address };
  if (action === 'hand_over') {
    // From processing the dossier goes to approval in its own unit; from the counter to the
    // unit the procedure's step plan names (a car transfer to the traffic team).
    const fromProcessing = steps.open?.kind === 'processing';
    const unit = fromProcessing ? steps.open?.unit_id : steps.plannedUnitId;
    return { to_step: 'approval', ...(unit ? { to_unit: String(unit) } : {}) };
  }
  return {};
}

/**
 * The dossier page's action forms: the actions this account may take now (the table and the
 * policy decided them in the detail), each with its fields, values, errors and presentation.
 * Workflow actions and handovers come apart, as the page shows them in two sections.
 */
export function actionFormsOf(
  detail: DossierDetail,
  failure: FailedForm,
  config: Pick<Config, 'supplementClock'>,
): { workflow: ActionFormView[]; handover: ActionFormView[] } {
  const { steps } = detail;
  // Handing over with the choice of unit and officer replaces the plain "Chuyển xử lý".
  const canChooseUnit = detail.actions.includes('hand_over') && steps.units.length > 0;
  const forms = detail.actions
    .filter((a) => !(a === 'start_processing' && canChooseUnit))
    .map((action): ActionFormView => {
      const spec = ACTIONS[action];
      const failed = failure.failedAction === action;
      if (spec.kind === 'correction')
        return {
          action,
          id: `action-${action}`,
          label: vi.dossiers.action[action] ?? action,
          style: spec.style,
          folded: false,
          open: false,
          fields: [],
          values: {},
          errors: {},
          hint: vi.correction.linkHint,
          href: `/ho-so/${encodeURIComponent(detail.dossier.code ?? String(detail.dossier.id))}/${spec.page}`,
        };
      let fields = spec.fields.map((f) => fieldOf(action, f, detail));
      // Only a dossier in processing chooses between approval and more processing.
      if (action === 'hand_over' && steps.open?.kind !== 'processing')
        fields = fields.filter((f) => f.name !== 'to_step');
      return {
        action,
        id: `action-${action}`,
        label: vi.dossiers.action[action] ?? action,
        style: spec.style,
        folded: spec.style !== 'primary',
        open: failed,
        fields,
        values: failed
          ? { ...defaultsOf(action, detail), ...failure.values }
          : defaultsOf(action, detail),
        errors: failed ? failure.errors : {},
        hint: action === 'request_supplement' ? P.supplementClock[config.supplementClock] : null,
      };
    });
  return {
    workflow: forms.filter((f) => ACTIONS[f.action].kind !== 'handover'),
    handover: forms.filter((f) => ACTIONS[f.action].kind === 'handover'),
  };
}
