import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { ValidationError } from '../errors.js';
import { addDays, isIsoDate, parseTypedDate, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { normalizeMobile } from '../lib/phone.js';
import { foldVietnamese } from '../lib/fold.js';
import { zodFieldErrors } from '../validation.js';
import { accessibleOfficeIds } from '../offices/office-scope.js';
import { findAccessEvents, findAuditActions, findAuditEvents } from './audit.repository.js';
import { searchDigest } from './audit.service.js';

const PAGE_SIZE = 50;
// Typed as dd/mm/yyyy (ISO accepted too), whatever the browser's language.
const localDate = z
  .string()
  .transform((v) => (v.trim() === '' ? '' : (parseTypedDate(v) ?? v.trim())))
  .refine((v) => v === '' || isIsoDate(v), vi.common.dateInvalid)
  .optional();

/** What both log viewers filter by: action, account, a local date range and the page. */
const logQuery = z.object({
  action: z.string().max(100).optional(),
  username: z.string().max(100).optional(),
  from: localDate,
  to: localDate,
  page: z.coerce.number().int().min(1).max(100000).default(1),
});
const accessQuery = logQuery.extend({
  subject: z.string().max(100).optional(),
  person: z.string().max(100).optional(),
});

/** The common part of a log query: the instants of the local days, and the page as limit and offset. */
function logWindow(q: z.output<typeof logQuery>) {
  return {
    action: q.action || undefined,
    username: q.username || undefined,
    fromAt: q.from ? startOfLocalDayIso(q.from) : undefined,
    toAt: q.to ? startOfLocalDayIso(addDays(q.to, 1)) : undefined,
    limit: PAGE_SIZE + 1,
    offset: (q.page - 1) * PAGE_SIZE,
  };
}

/** A searched person as the search recorded it: ID digits, a normalised mobile number, or a folded name. */
function searchedValue(person: string): string {
  const digits = person.replace(/[\s.]/g, '');
  if (/^\d{12}$/.test(digits)) return digits;
  return normalizeMobile(person) ?? foldVietnamese(person);
}

/** The audit log viewer: who did what, when. Read-only by construction (the table is append-only). */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/quan-tri/nhat-ky', requireRole('supervisor', 'admin'), async (req, res) => {
    const parsed = logQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    // A supervisor sees what the accounts of its offices did; an administrator sees everything.
    const officeIds =
      req.account!.role === 'admin' ? undefined : await accessibleOfficeIds(ctx, req.account!);
    const events = await findAuditEvents(ctx.db, { officeIds, ...logWindow(q) });
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
      actions: await findAuditActions(ctx.db),
    });
  });
  /** Who viewed or searched citizens' data (administrators): by account, action, dossier, person, dates. */
  router.get('/quan-tri/truy-cap', requireRole('admin'), async (req, res) => {
    const parsed = accessQuery.safeParse(req.query);
    if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
    const q = parsed.data;
    // A person is found by the digest of what was searched: their ID number, phone or name.
    const person = q.person?.trim() ?? '';
    const events = await findAccessEvents(ctx.db, {
      ...logWindow(q),
      subject: q.subject || undefined,
      digest: person ? searchDigest(ctx, searchedValue(person)) : undefined,
    });
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
