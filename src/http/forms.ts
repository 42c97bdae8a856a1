import { setFlash } from './view-locals.js';
import type { Request, Response } from 'express';
import { ConflictError, isFormError } from '../errors.js';
import { httpStatusOf } from './error-handler.js';

/** What the user typed, as text (lists of text for multi-selects), to put back into a form. */
export type FormValues = Record<string, string | string[]>;

export function typedValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k === '_csrf') continue;
      if (typeof v === 'string') values[k] = v.slice(0, 1000);
      else if (Array.isArray(v))
        values[k] = v.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 100));
    }
  }
  return values;
}

export interface FormFailure {
  /** 422 for field errors, 409 for a conflict with the current state. */
  status: number;
  /** A message per field (empty for a conflict). */
  errors: Record<string, string>;
  /** What was typed, so nothing has to be typed again. */
  values: FormValues;
  /** The error's own message: the form's summary, or the conflict's explanation. */
  message: string;
  conflict: string | null;
}

/**
 * The one way a page handles a form: run the action (which redirects on success); when it fails
 * with field errors or a conflict, render the same page again with the status, the messages and
 * the typed values. Any other error goes on to the error handler.
 */
export async function handleForm(
  req: Request,
  res: Response,
  act: () => Promise<void>,
  rerender: (failure: FormFailure) => Promise<void>,
): Promise<void> {
  try {
    await act();
  } catch (err) {
    if (!isFormError(err)) throw err;
    res.status(httpStatusOf(err));
    await rerender({
      status: httpStatusOf(err),
      errors: err.fields,
      values: typedValues(req.body),
      message: err.message,
      conflict: err instanceof ConflictError ? err.message : null,
    });
  }
}

/**
 * A form that saves and goes back: `save` runs; on success the flash says so and the browser is
 * sent (303) to `to`, given what `save` returned (a new record's id); a failure renders the page
 * again as `handleForm` does.
 */
export function saveForm<T>(
  req: Request,
  res: Response,
  save: () => Promise<T>,
  done: { flash: string; to: (saved: T) => string; rerender: (f: FormFailure) => Promise<void> },
): Promise<void> {
  return handleForm(
    req,
    res,
    async () => {
      const saved = await save();
      setFlash(req, done.flash);
      res.redirect(303, done.to(saved));
    },
    done.rerender,
  );
}
