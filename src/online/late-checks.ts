import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { WorklistBlock } from '../dossiers/index.js';
import { vi } from '../locale/vi.js';
import { inboxCounts, lateChecks } from './online.repository.js';

/** How many late checks the worklist lists at most (the inbox has them all). */
const SHOWN = 200;

/** How late, in whole minutes, as the worklist says it ("2 ngày 3 giờ", "45 phút"). */
export function lateByLabel(minutes: number): string {
  const L = vi.online.lateBy;
  const m = Math.max(0, Math.floor(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  if (days > 0) return hours > 0 ? `${L.days(days)} ${L.hours(hours)}` : L.days(days);
  if (hours > 0) return m % 60 > 0 ? `${L.hours(hours)} ${L.minutes(m % 60)}` : L.hours(hours);
  return L.minutes(Math.max(1, m));
}

/**
 * The online checks past their deadline, escalated like a late step: to the supervisor (and
 * administrator) of the entry's office and to its counter officers, who can open the entry (the
 * inbox is the office's own). Nothing for anyone else.
 */
export async function lateChecksBlocks(
  deps: Deps<'db' | 'clock'>,
  account: CurrentAccount,
): Promise<WorklistBlock[]> {
  if (account.role === 'officer' && !account.counterDuty) return [];
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const rows = await lateChecks(deps.db, account.officeId, nowIso, SHOWN);
  if (rows.length === 0) return [];
  const { late } = await inboxCounts(deps.db, account.officeId, nowIso);
  const entries = rows.map((r) => ({
    id: r.id,
    href: `/truc-tuyen/${r.id}`,
    portalCode: r.portal_code,
    applicant: r.applicant_name,
    procedure: r.procedure_name,
    dueAt: r.check_due_at,
    lateBy: lateByLabel((now.getTime() - new Date(r.check_due_at).getTime()) / 60_000),
  }));
  return [{ partial: '/online/_worklist', data: { entries, total: late }, items: late }];
}
