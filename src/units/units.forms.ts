import { z } from 'zod';
import { vi } from '../locale/vi.js';
import { field, formSchema, type FormField } from '../validation.js';

const L = vi.handover.admin.fields;
const E = vi.handover.errors;

/** The processing unit form: each field's label beside its schema. */
export const unitFields = [
  {
    name: 'office_id',
    label: L.office,
    type: 'select',
    required: true,
    schema: field.int(1, 1e9, E.unitUnknown),
  },
  {
    name: 'code',
    label: L.code,
    required: true,
    hint: vi.handover.admin.codeHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
      z.string({ message: E.unitCodeInvalid }).regex(/^[0-9A-Z_-]{2,20}$/, E.unitCodeInvalid),
    ),
  },
  {
    name: 'name',
    label: L.name,
    required: true,
    wide: true,
    schema: field.text(3, 200, E.unitNameRequired),
  },
  { name: 'active', label: L.active, type: 'checkbox', schema: field.checkbox },
] as const satisfies readonly FormField[];
export const unitSchema = formSchema(unitFields);

export const memberFields = [
  {
    name: 'account_id',
    label: L.account,
    type: 'select',
    required: true,
    schema: field.int(1, 1e9, E.memberAccountInvalid),
  },
  {
    name: 'role',
    label: L.role,
    type: 'select',
    required: true,
    options: Object.entries(vi.handover.unitRole) as [string, string][],
    schema: z.enum(['processor', 'approver'], { message: E.memberRoleInvalid }),
  },
] as const satisfies readonly FormField[];
export const memberSchema = formSchema(memberFields);
