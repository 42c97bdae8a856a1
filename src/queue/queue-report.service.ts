import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { daysBetween, localDateOf, looksLikeDate, parseTypedDate } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { findTicketsForReport } from './queue.repository.js';
import { queueReport } from './queue-report.js';

const MAX_DAYS = 92;

export interface QueueReportQuery {
  from: string;
  to: string;
  /** An office id, or null for every office the account may see. */
  office: number | null;
  errors: Record<string, string> | null;
  /** What was typed, shown back when refused. */
  typed: { from: string; to: string };
}

/** The report's period (local days, today by default) and office from the query string. */
export function queueReportQuery(query: Record<string, unknown>, now: Date): QueueReportQuery {
  const today = localDateOf(now);
  const text = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const errors: Record<string, string> = {};
  // Dates as typed everywhere else (dd/mm/yyyy), ISO from links; a 31/02 is said not to exist.
  const typed = { from: text('from'), to: text('to') };
  const dateOf = (key: 'from' | 'to', fallback: string) => {
    if (!typed[key]) return fallback;
    const iso = parseTypedDate(typed[key]);
    if (!iso)
      errors[key] = looksLikeDate(typed[key])
        ? vi.counter.dates.notInCalendar(typed[key])
        : vi.queue.report.dateInvalid;
    return iso ?? typed[key];
  };
  const from = dateOf('from', today);
  const to = dateOf('to', from);
  if (!errors.from && !errors.to && (to < from || daysBetween(from, to) >= MAX_DAYS))
    errors.to = vi.queue.report.rangeTooLong;
  const office = /^\d{1,9}$/.test(text('office')) ? Number(text('office')) : null;
  const bad = Object.keys(errors).length > 0;
  return {
    from: bad ? today : from,
    to: bad ? today : to,
    office,
    errors: bad ? errors : null,
    typed,
  };
}

/** Waiting and service figures of the tickets issued in the period at the offices the account may see. */
export async function queueReportFor(
  ctx: Deps<'masterData' | 'reportDb'>,
  account: CurrentAccount,
  q: QueueReportQuery,
) {
  const accessible = await accessibleOfficeIds(ctx, account);
  const officeIds = q.office !== null && accessible.includes(q.office) ? [q.office] : accessible;
  const rows = await findTicketsForReport(ctx.reportDb, officeIds, q.from, q.to);
  const offices = (await ctx.masterData.offices()).filter((o) => accessible.includes(o.id));
  return {
    query: q,
    errors: q.errors,
    offices,
    report: queueReport(rows, vi.queue.report.noCounter),
    rowCount: rows.length,
  };
}
