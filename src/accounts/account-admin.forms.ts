import { z } from 'zod';
import { vi } from '../locale/vi.js';
import { field, formSchema, type FormField } from '../validation.js';

const L = vi.admin.account;
const ROLES = ['officer', 'supervisor', 'admin'] as const;
const roleField = z.enum(ROLES, { message: L.roleRequired });
const passwordField = z
  .string({ message: L.passwordRequired })
  .min(10, L.passwordTooShort)
  .max(200, vi.errors.tooLong(200));
const roleOptions = Object.entries(vi.roles) as [string, string][];

/** Who the account is and what it does: the same on the create and the edit form. */
const accountFields = [
  {
    name: 'full_name',
    label: L.fullName,
    required: true,
    schema: field.text(2, 100, L.fullNameRequired),
  },
  {
    name: 'role',
    label: L.role,
    type: 'select',
    options: roleOptions,
    required: true,
    schema: roleField,
  },
  {
    name: 'office_id',
    label: L.office,
    type: 'select',
    required: true,
    schema: field.int(1, 1e9, L.officeRequired),
  },
  {
    name: 'counter_duty',
    label: vi.counter.duties.counterDutyLabel,
    type: 'checkbox',
    hint: vi.counter.duties.counterDutyHint,
    schema: field.checkbox,
  },
] as const satisfies readonly FormField[];

/** The administrator's account forms: each field's label beside its schema. */
export const accountCreateFields = [
  {
    name: 'username',
    label: L.username,
    required: true,
    hint: L.usernameHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
      z.string({ message: L.usernameRequired }).regex(/^[a-z0-9._-]{3,40}$/, L.usernameInvalid),
    ),
  },
  ...accountFields,
  {
    name: 'password',
    label: L.initialPassword,
    type: 'password',
    required: true,
    hint: L.passwordHint,
    schema: passwordField,
  },
] as const satisfies readonly FormField[];
export const accountCreateSchema = formSchema(accountCreateFields);

export const accountEditFields = [
  ...accountFields,
  { name: 'active', label: L.active, type: 'checkbox', schema: field.checkbox },
] as const satisfies readonly FormField[];
export const accountEditSchema = formSchema(accountEditFields);

export const passwordResetFields = [
  {
    name: 'password',
    label: L.newPassword,
    type: 'password',
    required: true,
    hint: L.passwordHint,
    schema: passwordField,
  },
  {
    name: 'password_confirm',
    label: L.confirmPassword,
    type: 'password',
    required: true,
    schema: z.string({ message: L.confirmRequired }),
  },
] as const satisfies readonly FormField[];
export const passwordResetSchema = formSchema(passwordResetFields).refine(
  (v) => v.password === v.password_confirm,
  { message: L.passwordsDiffer, path: ['password_confirm'] },
);

export const tokenFields = [
  {
    name: 'name',
    label: L.tokenName,
    required: true,
    hint: L.tokenNameHint,
    schema: field.text(2, 60, L.tokenNameRequired),
  },
  {
    name: 'scope',
    label: L.tokenScope,
    type: 'select',
    options: Object.entries(L.scopes) as [string, string][],
    required: true,
    schema: z.preprocess(
      (v) => v ?? 'full',
      z.enum(['full', 'read', 'kiosk', 'portal', 'display', 'postal'], {
        message: L.tokenScopeRequired,
      }),
    ),
  },
  {
    name: 'expires_days',
    label: L.tokenExpiresDays,
    type: 'number',
    hint: L.tokenExpiresHint,
    schema: field.optionalInt(1, 3650, L.tokenExpiresInvalid),
  },
] as const satisfies readonly FormField[];
export const tokenSchema = formSchema(tokenFields);
