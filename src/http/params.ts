import type { Request } from 'express';
import { NotFoundError } from '../errors.js';

/** A numeric id from the path; anything else is a page that does not exist. */
export function idParam(req: Request, name = 'id'): number {
  const text = String(req.params[name] ?? '');
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError();
  return Number(text);
}
