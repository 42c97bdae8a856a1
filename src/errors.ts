import { vi } from './locale/vi.js';

/**
 * Domain errors: what went wrong, in words a user can read, never how HTTP says it. Services
 * throw these; `http/error-handler.ts` is the one place that turns them into statuses, pages and
 * `{ error: { code, message, fields } }` answers.
 */
export class DomainError extends Error {
  constructor(
    /** A stable machine-readable name, e.g. `dossier_not_found`. */
    readonly code: string,
    message: string,
    /** A message per input field, for forms and the API. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that fails validation: a message per field. */
export class ValidationError extends DomainError {
  constructor(fields: Record<string, string>, message: string = vi.errors.validation) {
    super('validation_failed', message, fields);
  }
}

/** A request that is not well-formed at all (as opposed to a field with a bad value). */
export class BadRequestError extends DomainError {
  constructor(message: string = vi.errors.badRequest, code = 'bad_request') {
    super(code, message);
  }
}

/** Nobody is signed in (or the credentials are wrong). */
export class UnauthorizedError extends DomainError {
  constructor(message: string = vi.errors.loginRequired, code = 'unauthorized') {
    super(code, message);
  }
}

/** Signed in, but not allowed to do this. */
export class ForbiddenError extends DomainError {
  constructor(message: string = vi.errors.forbidden, code = 'forbidden') {
    super(code, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string = vi.errors.notFound, code = 'not_found') {
    super(code, message);
  }
}

/** The request conflicts with the current state (impossible transition, stale version). */
export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string = vi.errors.tooLarge) {
    super('body_too_large', message);
  }
}

/** The database cannot answer now (busy, restarting): try again shortly; nothing was lost. */
export class UnavailableError extends DomainError {
  constructor(message: string = vi.errors.unavailable, code = 'unavailable') {
    super(code, message);
  }
}

/** Errors a form re-renders itself for (the page with the typed values), rather than an error page. */
export function isFormError(err: unknown): err is ValidationError | ConflictError {
  return err instanceof ValidationError || err instanceof ConflictError;
}
