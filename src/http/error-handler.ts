import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { vi } from '../locale/vi.js';
import { AppError, NotFoundError, TooManyRequestsError } from './errors.js';
import { isApiRequest } from './request-kind.js';

/** Errors thrown by body-parser and friends carry a `type` and an HTTP `status`. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as HttpishError;
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (e.type === 'entity.parse.failed') return new AppError(400, 'malformed_body', vi.errors.malformedBody);
    if (e.type === 'entity.too.large') return new AppError(413, 'body_too_large', vi.errors.tooLarge);
    return new AppError(status, 'bad_request', vi.errors.badRequest);
  }
  if (err instanceof URIError) return new AppError(400, 'bad_request', vi.errors.badRequest);
  return null;
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(vi.errors.notFound));
}

/** The one place where errors become responses. Stack traces never reach the client. */
export function errorHandler(ctx: AppContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = toAppError(err);
    if (!known) ctx.logger.error({ err, reqId: req.id }, 'unhandled error');
    const error = known ?? new AppError(500, 'internal_error', vi.errors.internal);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(error.status);
    if (isApiRequest(req)) {
      res.json({ error: { code: error.code, message: error.message, fields: error.fields } });
      return;
    }
    const titles: Record<number, string> = {
      403: vi.errors.forbiddenTitle,
      404: vi.errors.notFoundTitle,
      409: vi.errors.conflictTitle,
      429: vi.errors.tooManyTitle,
    };
    res.render('errors/error', {
      title: titles[error.status] ?? vi.errors.title,
      status: error.status,
      message: error.message,
    });
  };
}
