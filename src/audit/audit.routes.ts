import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { zodFieldErrors } from '../validation.js';
import { accessQuery, logQuery } from './log-query.js';
import { accessLogPage, auditActions, auditLogPage, PAGE_SIZE } from './log-viewer.service.js';

/** The audit log viewer: who did what, when. Read-only by construction (the table is append-only). */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/quan-tri/nhat-ky', requireRole('supervisor', 'admin'), async (req, res) => {
    const parsed = logQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    // A supervisor sees what the accounts of its offices did; an administrator sees everything.
    const events = await auditLogPage(ctx, req.account!, q);
    res.render('audit/index', {
      title: vi.audit.title,
      events: events.slice(0, PAGE_SIZE),
      hasNext: events.length > PAGE_SIZE,
      page: q.page,
      query: {
        action: q.action ?? '',
        username: q.username ?? '',
        from: q.from ?? '',
        to: q.to ?? '',
      },
      actions: await auditActions(ctx),
    });
  });
  /** Who viewed or searched citizens' data (administrators): by account, action, dossier, person, dates. */
  router.get('/quan-tri/truy-cap', requireRole('admin'), async (req, res) => {
    const parsed = accessQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    // A person is found by the digest of what was searched: their ID number, phone or name.
    const person = q.person?.trim() ?? '';
    const events = await accessLogPage(ctx, q);
    res.render('audit/access', {
      title: vi.audit.accessTitle,
      events: events.slice(0, PAGE_SIZE),
      hasNext: events.length > PAGE_SIZE,
      page: q.page,
      query: {
        action: q.action ?? '',
        username: q.username ?? '',
        subject: q.subject ?? '',
        person,
        from: q.from ?? '',
        to: q.to ?? '',
      },
    });
  });

  return router;
}
