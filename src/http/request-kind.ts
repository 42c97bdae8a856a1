import type { Request } from 'express';

/** API requests get JSON errors; everything else gets a Vietnamese page. */
export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}
