import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { ValidationError } from '../errors.js';
import { addDays, isIsoDate, parseTypedDate, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { foldVietnamese } from '../lib/fold.js';
import { zodFieldErrors } from '../validation.js';
import { accessibleOfficeIds } from '../offices/office-scope.js';
import { findAccessEvents, findAuditActions, findAuditEvents } from './audit.repository.js';
import { searchDigest } from './audit.service.js';

const PAGE_SIZE = 50;
// Typed as dd/mm/yyyy (ISO accepted too), whatever the browser's language.
const localDate = z
  .string()
  .transform((v) => (v.trim() === '' ? '' : parseTypedDate(v) ?? v.trim()))
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
    // A supervisor sees what the accounts of its offices did; an administrator sees everything.
    const officeIds = req.account!.role === 'admin' ? undefined : await accessibleOfficeIds(ctx, req.account!);
    const events = await findAuditEvents(ctx.db, {
      officeIds,
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
  const accessQuery = z.object({
    action: z.string().max(100).optional(),
    username: z.string().max(100).optional(),
    subject: z.string().max(100).optional(),
    person: z.string().max(100).optional(),
    from: localDate,
    to: localDate,
    page: z.coerce.number().int().min(1).max(100000).default(1),
  });

  /** Who viewed or searched citizens' data (administrators): by account, action, dossier, person, dates. */
  router.get('/quan-tri/truy-cap', requireRole('admin'), async (req, res) => {
    const parsed = accessQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    // A person is found by the digest of what was searched: their ID number, phone or name.
    const person = q.person?.trim() ?? '';
    const events = await findAccessEvents(ctx.db, {
      action: q.action || undefined,
      username: q.username || undefined,
      subject: q.subject || undefined,
      digest: person ? searchDigest(ctx, /^\d[\d\s.]*$/.test(person) ? person.replace(/[\s.]/g, '') : foldVietnamese(person)) : undefined,
      fromAt: q.from ? startOfLocalDayIso(q.from) : undefined,
      toAt: q.to ? startOfLocalDayIso(addDays(q.to, 1)) : undefined,
      limit: PAGE_SIZE + 1,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    res.render('audit/access', {
      title: vi.audit.accessTitle,
      events: events.slice(0, PAGE_SIZE),
      hasNext: events.length > PAGE_SIZE,
      page: q.page,
      query: { action: q.action ?? '', username: q.username ?? '', subject: q.subject ?? '', person, from: q.from ?? '', to: q.to ?? '' },
    });
  });

  return router;
}
