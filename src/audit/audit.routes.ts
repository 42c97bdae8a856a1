import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { postedFields, recallSearch, rememberSearch } from '../http/search-links.js';
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
  const ACCESS_FIELDS = ['action', 'username', 'subject', 'person', 'from', 'to'] as const;
  // The filter form posts (a person is searched by ID number or phone): its result link carries
  // only an opaque token (src/http/search-links.ts).
  router.post('/quan-tri/truy-cap', requireRole('admin'), (req, res) => {
    const fields = postedFields(req.body, ACCESS_FIELDS);
    const parsed = accessQuery.safeParse(fields);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    res.redirect(
      303,
      `/quan-tri/truy-cap?tim=${rememberSearch(req, fields, ctx.clock.now().getTime())}`,
    );
  });
  router.get('/quan-tri/truy-cap', requireRole('admin'), async (req, res) => {
    const recalled = recallSearch(req, ctx.clock.now().getTime());
    const parsed = accessQuery.safeParse({ ...req.query, ...(recalled ?? {}) });
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
      tim: recalled ? String(req.query.tim) : null,
    });
  });

  return router;
}
