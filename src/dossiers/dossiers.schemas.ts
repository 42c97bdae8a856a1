import { z } from 'zod';

/**
 * Shapes of what forms and the API send. Every field arrives as text (or a list of texts); the
 * services then check meaning and answer with Vietnamese messages per field. Anything that is
 * not text or a list of texts fails here with a field error, never deeper.
 */
const text = (max: number) =>
  z
    .union([z.string(), z.number(), z.boolean()], { message: 'Giá trị không hợp lệ.' })
    .transform((v) => String(v).normalize('NFC').trim())
    .refine((v) => v.length <= max, { message: `Tối đa ${max} ký tự.` })
    .optional()
    .transform((v) => v ?? '');

const textList = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], { message: 'Danh sách không hợp lệ.' })
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x).trim())));

export const intakeInputSchema = z.object({
  procedure_code: text(50),
  outcome: text(20),
  documents: textList,
  applicant_name: text(100),
  personal_id: text(20),
  birth_date: text(10),
  sex: text(10),
  phone: text(20),
  address: text(300),
  vehicle_kind: text(20),
  vehicle_id: text(30),
  note: text(1000),
  refusal_reason: text(1000),
  form_token: text(100),
});
export type IntakeInput = z.output<typeof intakeInputSchema>;

export const actionInputSchema = z.object({
  version: text(12),
  note: text(1000),
  reason: text(1000),
  supplement_what: text(1000),
  returned_to: text(100),
  new_due_date: text(10),
});
export type ActionInput = z.output<typeof actionInputSchema>;

/** Field errors from a zod failure, keyed by the first path element. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= issue.message;
  }
  return fields;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARS.test(text);
}
