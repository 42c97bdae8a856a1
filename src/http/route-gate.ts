import type { NextFunction, Request, Response, Router } from 'express';

/** What Express 5's router keeps of each layer that this gate reads (router 2.x's Layer). */
interface LayerLike {
  route?: { path?: unknown };
  rawPath?: unknown;
  slash?: boolean;
}

/** Characters that start a parameter, wildcard, group or escape in a route path (path-to-regexp 8). */
const SPECIAL = /[:*{}()\\[\]?+!]/;

/**
 * The literal start of every path a router can answer, lower-cased; null when one of its layers
 * may answer any path (a router-level middleware, a regular expression, an empty path).
 */
export function literalPrefixes(router: Router): string[] | null {
  const prefixes = new Set<string>();
  const stack = (router as { stack?: unknown }).stack;
  if (!Array.isArray(stack)) return null;
  for (const layer of stack as LayerLike[]) {
    const paths = layer.route ? layer.route.path : layer.slash ? null : layer.rawPath;
    for (const path of Array.isArray(paths) ? (paths as unknown[]).flat(Infinity) : [paths]) {
      if (typeof path !== 'string') return null;
      const special = SPECIAL.exec(path);
      const literal = (special ? path.slice(0, special.index) : path).toLowerCase();
      // "/" or "" would admit everything anyway.
      if (literal.length <= 1) return null;
      prefixes.add(literal);
    }
  }
  return [...prefixes];
}

/**
 * A feature router behind a check of the request's path: a request none of its routes can match
 * passes on without walking them. Every feature router is mounted at the root and an API call
 * walked the stacks of all those mounted before its own (about a tenth of an intake's CPU,
 * docs/BENCHMARKS.md). The prefixes are read from the router on its first request (its routes are
 * all declared by then); matching is case-insensitive, as Express's routing is. A router with a
 * router-level middleware is never skipped: that middleware may act on any request.
 */
export function gated(router: Router) {
  let prefixes: string[] | null | undefined;
  // The router's stack stays visible through the gate (the OpenAPI test lists the routes by it).
  return Object.assign(gatedRouter, { stack: router.stack });
  function gatedRouter(req: Request, res: Response, next: NextFunction) {
    if (prefixes === undefined) prefixes = literalPrefixes(router);
    if (prefixes !== null) {
      const path = req.path.toLowerCase();
      let may = false;
      for (const prefix of prefixes) {
        if (path.startsWith(prefix)) {
          may = true;
          break;
        }
      }
      if (!may) {
        next();
        return;
      }
    }
    router(req, res, next);
  }
}
