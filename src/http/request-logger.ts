import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { routeOf } from '../metrics/metrics.js';

declare module 'node:http' {
  interface IncomingMessage {
    id?: string;
  }
}

/**
 * Digits joined by single separators (space, dot, dash, underscore, plus, or their percent
 * encodings): `0350-9077-9995`, `0350%209077%209995`, `035.090.779.995`.
 */
const DIGIT_RUN = /(?<![A-Za-z\d])\d(?:(?:[\s._+-]|%20|%2[bBdDeE]|%5[fF])?\d)*/g;

/**
 * Personal ID numbers in a logged path become asterisks, whatever the route and however they are
 * spelled: any run of digits (see DIGIT_RUN) with 12 digits or more is masked whole, so neither
 * an ID number nor one hidden inside a longer number survives. A run that begins right after a
 * letter is part of a code (a dossier code's `H40-260310-0001`) and stays.
 */
export function maskIdNumbers(path: string): string {
  return path.replace(DIGIT_RUN, (run) =>
    run.replace(/\D/g, '').length >= 12 ? '************' : run,
  );
}

/**
 * Behind a proxy every request comes from the proxy's address, so per-client limits (logins,
 * lookups) would be shared by every counter: warn once when a forwarded header arrives while
 * TRUST_PROXY is off.
 */
export function proxyHeaderWarning(ctx: AppContext) {
  let warned = ctx.config.trustProxy;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (
      !warned &&
      (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined)
    ) {
      warned = true;
      ctx.logger.warn(
        'a request carried X-Forwarded-For while TRUST_PROXY is off: behind a proxy, set TRUST_PROXY=true or every client shares one rate limit',
      );
    }
    next();
  };
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** Requests observed already: one the lookup's front door began and handed over to Express. */
const observed = new WeakSet<IncomingMessage>();

/**
 * Each request's id, its log line and its figures (duration and rate-limit refusals). Only the
 * path is logged, never the query string (it carries lookup keys and searched ID numbers), and
 * no headers (cookies, tokens).
 *
 * Written out rather than pino-http: pino-http builds a child logger and its serializers for
 * every request even when the line is not written, which cost the citizen lookup about a sixth
 * of its CPU in the benchmark. One listener: 'close' follows 'finish' on every response and comes
 * alone when the client went away first.
 *
 * The route pattern is asked for when the response closes (Express knows it only after routing).
 */
export function requestObservation(ctx: AppContext) {
  const { logger, metrics } = ctx;
  return (
    req: IncomingMessage & { originalUrl?: string },
    res: ServerResponse,
    route: () => string,
  ): void => {
    const started = performance.now();
    observed.add(req);
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    res.once('close', () => {
      const milliseconds = performance.now() - started;
      const aborted = !res.writableFinished;
      const method = req.method ?? 'GET';
      if (!aborted) metrics.observeRequest(method, route(), res, milliseconds);
      const status = res.statusCode;
      const level = aborted || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const url = req.originalUrl ?? req.url ?? '';
      logger[level](
        {
          req: { id, method, path: maskIdNumbers(url.split('?')[0]!) },
          res: { statusCode: status },
          responseTime: Math.round(milliseconds),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    });
  };
}

/**
 * The observation as Express middleware, the route pattern as Express matched it. A request
 * observed already (from its start, by the front door) is not observed twice.
 */
export function requestObserver(ctx: AppContext) {
  const observe = requestObservation(ctx);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!observed.has(req)) observe(req, res, () => routeOf(req));
    next();
  };
}
