import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { ValidationError } from '../errors.js';
import { addDays, isIsoDate, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { zodFieldErrors } from '../validation.js';
import { findAuditActions, findAuditEvents } from './audit.repository.js';

const PAGE_SIZE = 50;
const localDate = z
  .string()
  .refine((v) => v === '' || isIsoDate(v), vi.common.dateInvalid)
  .optional();

const auditQuery = z.object({
  action: z.string().max(100).optional(),
  username: z.string().max(100).optional(),
  from: localDate,
  to: localDate,
  page: z.coerce.number().int().min(1).max(100000).default(1),
});

/** The audit log viewer: who did what, when. Read-only by construction (the table is append-only). */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/quan-tri/nhat-ky', requireRole('supervisor', 'admin'), async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    const events = await findAuditEvents(ctx.db, {
      action: q.action || undefined,
      username: q.username || undefined,
      fromAt: q.from ? startOfLocalDayIso(q.from) : undefined,
      toAt: q.to ? startOfLocalDayIso(addDays(q.to, 1)) : undefined,
      limit: PAGE_SIZE + 1,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    res.render('audit/index', {
      title: vi.audit.title,
      events: events.slice(0, PAGE_SIZE),
      hasNext: events.length > PAGE_SIZE,
      page: q.page,
      query: { action: q.action ?? '', username: q.username ?? '', from: q.from ?? '', to: q.to ?? '' },
      actions: await findAuditActions(ctx.db),
    });
  });
  return router;
}
