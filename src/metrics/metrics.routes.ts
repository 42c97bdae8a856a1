import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { UnauthorizedError } from '../errors.js';
import { viMetrics } from '../locale/vi-metrics.js';

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/;
const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether the request comes from this machine itself. The address is the one the server trusts
 * (`req.ip`: the socket's peer, or with TRUST_PROXY the client the proxy names). Without
 * TRUST_PROXY a proxy on this machine makes every client look local, so a request that says it
 * was forwarded (X-Forwarded-For, Forwarded, X-Real-IP) is never taken as local.
 */
export function isLoopbackClient(req: Request, trustProxy: boolean): boolean {
  if (!LOOPBACK.test(req.ip ?? '')) return false;
  if (trustProxy) return true;
  const h = req.headers;
  return (
    h['x-forwarded-for'] === undefined && h.forwarded === undefined && h['x-real-ip'] === undefined
  );
}

/**
 * GET /metrics (Prometheus text format): open to the metrics token (METRICS_TOKEN, sent as
 * `Authorization: Bearer …`) and to clients on this machine; refused (401) to anybody else.
 */
export function metricsRoutes(ctx: AppContext): Router {
  const router = Router();
  const expected = ctx.config.metricsToken ? digest(ctx.config.metricsToken) : null;
  const tokenMatches = (req: Request) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    return !!token && !!expected && timingSafeEqual(digest(token), expected);
  };
  router.get('/metrics', async (req, res) => {
    if (!tokenMatches(req) && !isLoopbackClient(req, ctx.config.trustProxy)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError(viMetrics.refused, 'metrics_refused');
    }
    const text = await ctx.metrics.text();
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.end(text);
  });
  return router;
}
