import { z } from 'zod';
import { vi } from '../locale/vi.js';
import { field, formSchema, type FormField } from '../validation.js';
import { PRIORITY_REASONS } from './office-settings.js';
import {
  beneficiaryComplete,
  beneficiaryIncomplete,
  paymentOfficeFields,
} from './office-payment-settings.js';
import {
  DEFAULT_WORKING_HOURS_TEXT,
  formatWorkingHours,
  parseWorkingHours,
} from '../calendar/working-hours.js';

const L = vi.admin.office;

const optionalUrl = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z.union([
    z.literal(''),
    z.url({ protocol: /^https?$/, message: vi.notify.office.urlInvalid }).max(300),
  ]),
);

/** The office form: each field's label beside its schema. */
export const officeFields = [
  {
    name: 'code',
    label: L.code,
    required: true,
    hint: L.codeHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
      z.string({ message: L.codeRequired }).regex(/^[0-9A-Z.]{3,40}$/, L.codeInvalid),
    ),
  },
  {
    name: 'name',
    label: L.name,
    required: true,
    wide: true,
    schema: field.text(3, 200, L.nameRequired),
  },
  {
    name: 'short_name',
    label: L.shortName,
    required: true,
    schema: field.text(1, 60, L.shortNameRequired),
  },
  {
    name: 'parent_id',
    label: L.parent,
    type: 'select',
    blank: L.noParent,
    schema: field.optionalInt(1, 1e9, L.parentInvalid),
  },
  { name: 'address', label: L.address, wide: true, schema: field.optionalText(300) },
  { name: 'phone', label: L.phone, schema: field.optionalText(30) },
  {
    name: 'place_name',
    label: vi.forms.placeLabel,
    hint: vi.forms.placeHint,
    schema: field.optionalText(60),
  },
  {
    name: 'working_hours',
    label: vi.hours.label,
    hint: vi.hours.adminHint,
    schema: z.preprocess(
      (v) =>
        typeof v === 'string' && v.trim() ? v.replace(/\s+/g, '') : DEFAULT_WORKING_HOURS_TEXT,
      z
        .string()
        .max(100, vi.errors.tooLong(100))
        .refine((v) => parseWorkingHours(v) !== null, vi.handover.errors.workingHoursInvalid)
        .transform((v) => formatWorkingHours(parseWorkingHours(v)!)),
    ),
  },
  {
    name: 'head_title',
    label: vi.counter.signer.headTitle,
    hint: vi.counter.signer.headTitleHint,
    schema: field.optionalText(80),
  },
  { name: 'head_name', label: vi.counter.signer.headName, schema: field.optionalText(100) },
  {
    name: 'deputy_title',
    label: vi.counter.signer.deputyTitle,
    hint: vi.counter.signer.deputyTitleHint,
    schema: field.optionalText(80),
  },
  { name: 'deputy_name', label: vi.counter.signer.deputyName, schema: field.optionalText(100) },
  {
    name: 'supervisor_acts_for_units',
    label: vi.counter.duties.supervisorActsLabel,
    type: 'checkbox',
    hint: vi.counter.duties.supervisorActsHint,
    schema: field.checkbox,
  },
  {
    name: 'queue_priorities',
    label: vi.queue.admin.priorities,
    hint: PRIORITY_REASONS.map((r) => `${r}: ${vi.queue.priority[r]}`).join('; '),
    schema: z.preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((w) => w.trim())
              .filter(Boolean)
              .join(',')
          : '',
      z
        .string()
        .max(200, vi.errors.tooLong(200))
        .refine(
          (v) =>
            !v || v.split(',').every((w) => (PRIORITY_REASONS as readonly string[]).includes(w)),
          vi.queue.errors.badPriority,
        ),
    ),
  },
  {
    name: 'queue_near_at',
    label: vi.queue.admin.nearAt,
    schema: z.preprocess(
      (v) => (v === '' || v === undefined ? 3 : v),
      field.int(0, 20, vi.queue.errors.badNearAt),
    ),
  },
  {
    name: 'sms_gateway_url',
    label: vi.notify.office.smsUrl,
    hint: vi.notify.office.hint,
    schema: optionalUrl,
  },
  {
    name: 'sms_gateway_token',
    label: vi.notify.office.smsToken,
    type: 'password',
    schema: field.optionalText(200),
  },
  { name: 'zalo_zns_url', label: vi.notify.office.zaloUrl, schema: optionalUrl },
  {
    name: 'zalo_zns_token',
    label: vi.notify.office.zaloToken,
    type: 'password',
    schema: field.optionalText(200),
  },
  ...paymentOfficeFields,
  {
    name: 'valid_from',
    label: L.validFrom,
    type: 'date',
    required: true,
    schema: field.date(L.validFromRequired),
  },
  {
    name: 'valid_to',
    label: L.validTo,
    type: 'date',
    schema: field.optionalDate(L.validToInvalid),
  },
] as const satisfies readonly FormField[];

export const officeSchema = formSchema(officeFields)
  .refine((v) => !v.valid_to || v.valid_to >= v.valid_from, {
    message: L.validToBeforeFrom,
    path: ['valid_to'],
  })
  .refine(beneficiaryComplete, beneficiaryIncomplete);
