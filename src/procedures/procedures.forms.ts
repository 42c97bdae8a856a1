import { z } from 'zod';
import { vi } from '../locale/vi.js';
import { field, formSchema, type FormField } from '../validation.js';

const P = vi.admin.procedure;
const D = vi.admin.document;

/** The procedure form: each field's label beside its schema (report-group options come from the database). */
export const procedureFields = [
  {
    name: 'code',
    label: P.code,
    required: true,
    hint: P.codeHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z.string({ message: P.codeRequired }).regex(/^[0-9A-Za-z.-]{3,40}$/, P.codeInvalid),
    ),
  },
  {
    name: 'name',
    label: P.name,
    required: true,
    wide: true,
    schema: field.text(3, 300, P.nameRequired),
  },
  { name: 'field', label: P.field, schema: field.optionalText(200) },
  {
    name: 'report_group',
    label: P.reportGroup,
    type: 'select',
    required: true,
    schema: z.string({ message: P.reportGroupRequired }).min(1, P.reportGroupRequired),
  },
  {
    name: 'processing_days',
    label: P.processingDays,
    type: 'number',
    required: true,
    hint: P.processingDaysHint,
    schema: field.int(0, 365, P.processingDaysInvalid),
  },
  { name: 'processing_note', label: P.processingNote, wide: true, schema: field.optionalText(300) },
  {
    name: 'fee_vnd',
    label: P.fee,
    type: 'number',
    hint: P.feeHint,
    schema: field.optionalInt(0, 100_000_000, P.feeInvalid),
  },
  { name: 'fee_note', label: P.feeNote, wide: true, schema: field.optionalText(300) },
  {
    name: 'legal_basis',
    label: P.legalBasis,
    type: 'textarea',
    wide: true,
    schema: field.optionalText(500),
  },
  {
    name: 'form_set',
    label: vi.forms.setLabel,
    type: 'select',
    options: Object.entries(vi.forms.setNames) as [string, string][],
    schema: z.preprocess(
      (v) => v || 'tt03',
      z.enum(['tt03', 'residence', 'id_card'], { message: vi.forms.setInvalid }),
    ),
  },
  { name: 'is_vehicle', label: P.isVehicle, type: 'checkbox', schema: field.checkbox },
  {
    name: 'first_registration',
    label: P.firstRegistration,
    type: 'checkbox',
    schema: field.checkbox,
  },
  { name: 'active', label: P.active, type: 'checkbox', schema: field.checkbox },
] as const satisfies readonly FormField[];
export const procedureSchema = formSchema(procedureFields);

export const documentFields = [
  {
    name: 'name',
    label: D.name,
    required: true,
    wide: true,
    schema: field.text(3, 300, D.nameRequired),
  },
  {
    name: 'copy_kind',
    label: D.copyKind,
    type: 'select',
    options: Object.entries(vi.dossiers.copyKind) as [string, string][],
    required: true,
    schema: z.enum(['original', 'certified_copy', 'photocopy', 'original_or_copy'], {
      message: D.copyKindRequired,
    }),
  },
  {
    name: 'quantity',
    label: D.quantity,
    type: 'number',
    required: true,
    schema: field.int(1, 20, D.quantityInvalid),
  },
  {
    name: 'position',
    label: D.position,
    type: 'number',
    required: true,
    schema: field.int(0, 1000, D.positionInvalid),
  },
  { name: 'required', label: D.required, type: 'checkbox', schema: field.checkbox },
] as const satisfies readonly FormField[];
export const documentSchema = formSchema(documentFields);
