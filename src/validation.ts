import { z } from 'zod';
import { ValidationError } from './errors.js';
import { isIsoDate, parseTypedDate } from './lib/vietnam-time.js';
import { vi } from './locale/vi.js';

/**
 * Input checking shared by every feature. Services that take a body from several callers (the
 * pages, the API, the seeds, the import) parse it at their door with `parseInput`, so no caller
 * can skip the check; messages are the locale's, keyed by field.
 */

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
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_OR_BREAKS = /[\u0000-\u001f\u007f]/;

/** Any control character, line breaks included: never part of a code, key or search. */
export function hasAnyControlCharacter(text: string): boolean {
  return CONTROL_CHARS_OR_BREAKS.test(text);
}

/** The text with every control character turned into a space (a search box's input). */
export function withoutControlCharacters(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARS_OR_BREAKS.source, 'g'), ' ');
}

/** Control characters other than tab and line breaks (which multi-line fields allow). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARS.test(text);
}

/**
 * Parses `raw` with `schema`; a failure, or a single-line text field holding a control character
 * or line break, is a ValidationError naming the fields. `multiline` fields may hold breaks.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  multiline: readonly string[] = [],
): z.output<T> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error));
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.data as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const bad = multiline.includes(key)
      ? hasControlCharacters(value)
      : CONTROL_CHARS_OR_BREAKS.test(value);
    if (bad) fields[key] = vi.errors.controlCharacters;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return result.data;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').trim() : v);
/** A typed date, dd/mm/yyyy (or ddmmyyyy, or ISO), as ISO; anything else unchanged (and refused). */
const typedDate = (v: unknown) =>
  typeof v === 'string' ? (parseTypedDate(v.trim()) ?? v.trim()) : v;
const blankToNull = (v: unknown) => (v === '' || v === undefined || v === null ? null : v);
const toInteger = (v: unknown) =>
  typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : typeof v === 'number' ? v : NaN;

/** Builders for admin-style form fields (every value arrives as text). */
export const field = {
  /** Required text of min..max characters (NFC, trimmed). */
  text: (min: number, max: number, message: string) =>
    z.preprocess(trimmed, z.string({ message }).min(min, message).max(max, vi.errors.tooLong(max))),
  /** Optional text; empty when missing. */
  optionalText: (max: number) =>
    z.preprocess(
      (v) => trimmed(v) ?? '',
      z.string({ message: vi.errors.invalidValue }).max(max, vi.errors.tooLong(max)),
    ),
  /** An HTML checkbox: present (`on`, `1`, `true`) or not. */
  checkbox: z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean()),
  int: (min: number, max: number, message: string) =>
    z.preprocess(toInteger, z.number({ message }).int(message).min(min, message).max(max, message)),
  optionalInt: (min: number, max: number, message: string) =>
    z.preprocess(
      (v) => (blankToNull(v) === null ? null : toInteger(v)),
      z.number({ message }).int(message).min(min, message).max(max, message).nullable(),
    ),
  /** A local calendar date `YYYY-MM-DD`. */
  date: (message: string) =>
    z.preprocess(typedDate, z.string({ message }).refine(isIsoDate, message)),
  optionalDate: (message: string) =>
    z.preprocess(
      (v) => (typeof blankToNull(v) === 'string' ? typedDate(v) : blankToNull(v)),
      z.string({ message }).refine(isIsoDate, message).nullable(),
    ),
};

/**
 * Loose shapes for bodies whose meaning the service checks itself (intake, workflow): any text,
 * number or boolean becomes trimmed NFC text of at most `max` characters; missing is empty.
 */
export const loose = {
  text: (max: number) =>
    z
      .union([z.string(), z.number(), z.boolean()], { message: vi.errors.invalidValue })
      .transform((v) => String(v).normalize('NFC').trim())
      .refine((v) => v.length <= max, { message: vi.errors.tooLong(max) })
      .optional()
      .transform((v) => v ?? ''),
  textList: z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
      message: vi.errors.invalidList,
    })
    .optional()
    .transform((v) =>
      v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x).trim()),
    ),
};

/**
 * One form, declared once: each field's label and input type (for the page) beside its schema
 * (for the service). Select options that come from the database are given when rendering.
 */
export interface FormField {
  name: string;
  label: string;
  type?: 'text' | 'select' | 'checkbox' | 'number' | 'password' | 'date' | 'textarea';
  required?: boolean;
  hint?: string;
  /** A select's empty choice. */
  blank?: string;
  wide?: boolean;
  max?: number;
  options?: [string | number, string][];
  schema: z.ZodType;
}

/** The object schema of a form's fields. */
export function formSchema<const F extends readonly FormField[]>(fields: F) {
  return z.object(
    Object.fromEntries(fields.map((f) => [f.name, f.schema])) as {
      [K in F[number] as K['name']]: K['schema'];
    },
  );
}

/** The fields as a page renders them, with the options of the named selects filled in. */
export function renderableFields(
  fields: readonly FormField[],
  options: Record<string, [string | number, string][]> = {},
) {
  return fields.map(({ schema: _schema, ...f }) =>
    options[f.name] ? { ...f, options: options[f.name] } : f,
  );
}
