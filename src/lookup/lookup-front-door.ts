import type { IncomingMessage, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { ipKeyGenerator } from 'express-rate-limit';
import proxyaddr from 'proxy-addr';
import type { AppContext } from '../context.js';
import { requestObservation } from '../http/request-logger.js';

/** A lookup's query string, parsed as Express's "simple" query parser parses it. */
export type Query = Record<string, unknown>;

/** What a lookup answers: a status, a content type and the whole body. */
export interface LookupReply {
  status: number;
  type: string;
  body: string;
}

/** One GET lookup (the status page or its JSON twin) as a function of its query and client. */
export type LookupEndpoint = (query: Query, client: string) => Promise<LookupReply>;

export const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** The client address a lookup's limits count against, as `req.ip` gives it behind the same proxies. */
export type ClientOf = (req: IncomingMessage) => string;

export function clientAddressOf(trust: (address: string, hop: number) => boolean): ClientOf {
  return (req) => ipKeyGenerator(proxyaddr(req, trust) || 'unknown');
}

/**
 * What the front door threw for a request it began and handed over to Express: the lookup's
 * Express route throws it for the error handler, so the limits and the lookup run once.
 */
export const handedOver = new WeakMap<IncomingMessage, unknown>();

/** Writes a reply with its length in one go (the security headers are set by the caller). */
export function sendReply(res: ServerResponse, reply: LookupReply): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.type,
    'Content-Length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

/** Takes a request when it returns true; `handOver` gives it to Express. */
export type FrontDoor = (
  req: IncomingMessage,
  res: ServerResponse,
  handOver: () => void,
) => boolean;

/**
 * The citizen's lookup in front of Express (docs/DECISIONS.md, "The citizen's lookup in front of
 * Express"). Express's own pass over a request (its request and response prototypes set on the
 * objects, its router) cost a lookup about half its CPU in the benchmark, more than the lookup's
 * own work. A GET of exactly `/tra-cuu` or `/api/v1/lookup` with a plain query string is
 * answered here by the same endpoint functions the Express routes call, with the same headers,
 * request id, request log and metrics. Anything else (another method, a path Express would match
 * case-insensitively or with a trailing slash, a fragment) is left to Express untouched; an
 * endpoint's error (429, 404 and 422 in JSON, a database gone) is handed to Express with what was
 * thrown, so every error page and JSON error keeps coming from the one error handler.
 */
export function lookupFrontDoor(
  ctx: AppContext,
  endpoints: Record<string, LookupEndpoint>,
  headers: Map<string, string>,
  clientOf: ClientOf,
): FrontDoor {
  const observe = requestObservation(ctx);
  return (req, res, handOver) => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const endpoint = Object.hasOwn(endpoints, path) ? endpoints[path] : undefined;
    if (!endpoint || url.includes('#')) return false;
    // Observed from its start, so a client gone mid-lookup is logged, and a request handed over
    // is timed whole (Express's observer leaves an observed request alone).
    observe(req, res, () => path);
    const query = mark < 0 ? {} : querystring.parse(url.slice(mark + 1));
    let answered: Promise<LookupReply>;
    try {
      answered = endpoint(query, clientOf(req));
    } catch (err) {
      answered = Promise.reject(err);
    }
    answered
      .then(
        (reply) => {
          res.setHeaders(headers);
          sendReply(res, reply);
        },
        (err: unknown) => {
          handedOver.set(req, err);
          handOver();
        },
      )
      // Writing the reply failed (a bug, never a citizen's input): nothing is half-sent.
      .catch((err: unknown) => {
        ctx.logger.error({ err, reqId: req.id }, 'the lookup front door could not answer');
        res.destroy();
      });
    return true;
  };
}

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: unknown) => void;

/**
 * Puts the front door before Express's own handling of every request the application is given
 * as a server's listener (`app.listen`, `http.createServer(app)`, supertest); a request the door
 * does not take, or hands over, goes through `app.handle` as before. A mounted application (given
 * a `next`) is left alone.
 */
export function installFrontDoor(app: object, frontDoor: FrontDoor): void {
  const target = app as { handle: Handle };
  const handle = target.handle;
  target.handle = function (this: unknown, req, res, callback) {
    if (callback === undefined && frontDoor(req, res, () => handle.call(app, req, res))) return;
    handle.call(this, req, res, callback);
  };
}
