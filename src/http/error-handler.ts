import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import {
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../errors.js';
import { DatabaseUnavailableError, InvalidTextError } from '../db/errors.js';
import { vi } from '../locale/vi.js';
import { isApiRequest } from './request-kind.js';
import { errorPageLocals } from './view-locals.js';

/** The only place where a domain error gets its HTTP status. */
const STATUSES: [new (...args: never[]) => DomainError, number][] = [
  [ValidationError, 422],
  [BadRequestError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [TooManyRequestsError, 429],
  [UnavailableError, 503],
];

export function httpStatusOf(err: DomainError): number {
  return STATUSES.find(([type]) => err instanceof type)?.[1] ?? 400;
}

/** Errors thrown by body-parser and friends carry a `type` and an HTTP `status`. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** A known error as a domain error; null for a bug (which is logged and answered with 500). */
function toDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  if (err instanceof DatabaseUnavailableError) return new UnavailableError();
  if (err instanceof InvalidTextError) return new ValidationError({}, vi.errors.controlCharacters);
  const e = err as HttpishError;
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (e.type === 'entity.too.large' || e.type === 'parameters.too.many')
      return new PayloadTooLargeError();
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return new BadRequestError(vi.errors.unsupportedEncoding, 'unsupported_encoding');
    if (e.type === 'entity.parse.failed')
      return new BadRequestError(vi.errors.malformedBody, 'malformed_body');
    return new BadRequestError();
  }
  if (err instanceof URIError) return new BadRequestError();
  return null;
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(vi.errors.notFound));
}

const TITLES: Record<number, string> = {
  403: vi.errors.forbiddenTitle,
  404: vi.errors.notFoundTitle,
  409: vi.errors.conflictTitle,
  429: vi.errors.tooManyTitle,
  503: vi.errors.unavailableTitle,
};

/** The one place where errors become responses. Stack traces never reach the client. */
export function errorHandler(ctx: AppContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = toDomainError(err);
    if (!known) ctx.logger.error({ err, reqId: req.id }, 'unhandled error');
    else if (known instanceof UnavailableError)
      ctx.logger.warn({ err, reqId: req.id }, 'database unavailable');
    const status = known ? httpStatusOf(known) : 500;
    const code = known?.code ?? 'internal_error';
    const message = known?.message ?? vi.errors.internal;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (known instanceof TooManyRequestsError)
      res.setHeader('Retry-After', String(known.retryAfterSeconds));
    if (known instanceof UnavailableError) res.setHeader('Retry-After', '5');
    res.status(status);
    if (isApiRequest(req)) {
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="motcua"');
      res.json({ error: { code, message, fields: known?.fields ?? {} } });
      return;
    }
    errorPageLocals(req, res);
    const title = TITLES[status] ?? vi.errors.title;
    res.render(
      'errors/error',
      { title, status, message },
      (renderError: Error | null, html?: string) => {
        if (renderError) {
          // The page itself failed: a plain Vietnamese page, never Express's own (with a stack).
          ctx.logger.error({ err: renderError, reqId: req.id }, 'error page could not be rendered');
          res.type('html').send(staticErrorPage(status, title, message));
          return;
        }
        res.send(html);
      },
    );
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The error page without templates: what is shown when even the template fails. */
export function staticErrorPage(status: number, title: string, message: string): string {
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(vi.appName)}</title><link rel="stylesheet" href="/public/css/app.css"></head>` +
    `<body><main id="main"><section class="error-page"><p class="error-status">${status}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(vi.errors.backHome)}</a></p></section></main></body></html>`
  );
}
