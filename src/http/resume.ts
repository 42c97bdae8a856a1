/**
 * A form whose session expired is not lost (issue 28): its POST answers with the login page,
 * carrying the typed values in hidden fields; after the login, a page offers the same form,
 * with those values and a fresh CSRF token, to send with one key. The values only travel
 * between this browser and the server; the passwords of a form are never carried. Pure.
 */
export interface ResumedForm {
  /** Where the form posted: a same-site path. */
  action: string;
  /** Its fields as typed (a repeated field as a list). */
  fields: [string, string][];
}

/** Room for a long intake (note, refusal reason, many papers), not for an upload. */
const MAX_JSON = 64 * 1024;
const SKIPPED = new Set([
  '_csrf',
  'password',
  'password_confirm',
  'new_password',
  'current_password',
]);

export function isSamePath(path: unknown): path is string {
  return typeof path === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(path);
}

/** The fields of a posted form as one hidden value, or null when there is nothing to keep. */
export function resumeFieldsOf(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (SKIPPED.has(name) || name.startsWith('resume_')) continue;
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string') fields.push([name, v]);
  }
  const json = JSON.stringify(fields);
  return fields.length && json.length <= MAX_JSON ? json : null;
}

/** The form to offer again after the login, from the login form's hidden fields; null if none. */
export function resumedFormOf(body: unknown): ResumedForm | null {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!isSamePath(b.resume_action) || typeof b.resume_fields !== 'string') return null;
  if (b.resume_fields.length > MAX_JSON) return null;
  try {
    const parsed: unknown = JSON.parse(b.resume_fields);
    if (
      !Array.isArray(parsed) ||
      !parsed.every(
        (f) =>
          Array.isArray(f) &&
          f.length === 2 &&
          typeof f[0] === 'string' &&
          typeof f[1] === 'string' &&
          !SKIPPED.has(f[0]),
      )
    )
      return null;
    return { action: b.resume_action, fields: parsed as [string, string][] };
  } catch {
    return null;
  }
}
