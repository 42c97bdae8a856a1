import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppContext } from '../context.js';

/** Helmet as this app sets it: the security headers of every answer (docs/SECURITY.md). */
export function securityHeaders(ctx: AppContext): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        fontSrc: ["'self'"],
        // Counter PCs often reach the app over plain HTTP on the office LAN.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: ctx.config.publicBaseUrl.startsWith('https://'),
  });
}

/**
 * The same headers as one prepared list, plus `Cache-Control: no-store`, for a route that answers
 * before the middleware (the citizen's lookup): Helmet's headers are the same for every request,
 * so they are taken once from a run of the middleware and set in one call per answer.
 */
export function fixedSecurityHeaders(ctx: AppContext): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
  };
  let failed: unknown = null;
  securityHeaders(ctx)({} as never, recorder as never, (err?: unknown) => {
    failed = err ?? null;
  });
  if (failed) throw failed;
  headers.set('cache-control', 'no-store');
  return headers;
}
