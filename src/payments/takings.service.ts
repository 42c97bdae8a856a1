import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { Db } from '../db/database.js';
import type { OfficeRow } from '../db/schema.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { writeWithBackpressure as write } from '../lib/streams.js';
import {
  daysBetween,
  isIsoDate,
  localDateOf,
  VIETNAM_OFFSET_MINUTES,
} from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { csvLine, UTF8_BOM } from '../lib/csv.js';
import { XlsxSheetWriter, type XlsxCell } from '../lib/xlsx-sheet-writer.js';
import { zodFieldErrors } from '../validation.js';
import { PAYMENT_METHODS, type PaymentMethod } from './payment-states.js';
import { findCollected, findPaymentsOfDay, findReceiptsOfDay } from './reconcile.repository.js';

/**
 * The day's takings (sổ thu) of an office: its receipts per officer and method, checked against
 * the payments taken that day (each paid fee has one valid receipt of its amount; cash and
 * transfers add up to the receipts), and the period's figures for the report (collected per
 * procedure and method, and the share paid online as docs/DOMAIN.md §10 counts it).
 */
const T = vi.payments.takings;

export const takingsQuery = z.object({
  ngay: z.string().optional().describe('The local day, YYYY-MM-DD (default today)'),
  office: z.string().max(40).optional().describe('Office code (default the account’s)'),
});

async function officeFor(ctx: AppContext, account: CurrentAccount, code: string | undefined) {
  const offices = await ctx.masterData.offices();
  const office = code
    ? offices.find((o) => o.code === code.toUpperCase())
    : offices.find((o) => o.id === account.officeId);
  if (!office || !(await accessibleOfficeIds(ctx, account)).includes(office.id))
    throw new ValidationError({ office: vi.payments.errors.officeInvalid });
  return office;
}

type Sum = { count: number; amount: number };
const zero = (): Sum => ({ count: 0, amount: 0 });
const sums = () =>
  Object.fromEntries(PAYMENT_METHODS.map((m) => [m, zero()])) as Record<PaymentMethod, Sum>;

export async function dayTakings(ctx: AppContext, account: CurrentAccount, raw: unknown) {
  const parsed = takingsQuery.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  const day = parsed.data.ngay || localDateOf(ctx.clock.now());
  if (!isIsoDate(day)) throw new ValidationError({ ngay: vi.payments.errors.dateInvalid });
  const office = await officeFor(ctx, account, parsed.data.office);
  const [receipts, taken] = await Promise.all([
    findReceiptsOfDay(ctx.reportDb, office.id, day),
    findPaymentsOfDay(ctx.reportDb, office.id, day),
  ]);
  const valid = receipts.filter((r) => r.state === 'valid');
  const officers = new Map<string, Record<PaymentMethod, Sum>>();
  const totals = sums();
  for (const r of valid) {
    const m = r.method as PaymentMethod;
    const byOfficer = officers.get(r.issued_by_name) ?? sums();
    officers.set(r.issued_by_name, byOfficer);
    for (const s of [byOfficer[m], totals[m]]) {
      s.count++;
      s.amount += r.amount;
    }
  }
  // The check: every fee paid that day has exactly one valid receipt of its amount, and the
  // money taken per method equals the receipts per method.
  const paidByMethod = sums();
  const problems: { reference: string; problem: string }[] = [];
  for (const p of taken.payments) {
    const theirs = taken.receipts.filter((r) => r.payment_id === p.id && r.state === 'valid');
    if (p.state === 'paid') {
      const s = paidByMethod[p.method as PaymentMethod];
      s.count++;
      s.amount += p.paid_amount ?? 0;
      if (theirs.length !== 1)
        problems.push({ reference: p.reference, problem: T.receiptCount(theirs.length) });
      else if (theirs[0]!.amount !== p.paid_amount)
        problems.push({ reference: p.reference, problem: T.receiptAmount });
    }
  }
  const confirmed = new Set(taken.lines.map((l) => l.payment_id));
  const transfers = valid
    .filter((r) => r.method !== 'cash')
    .map((r) => ({ ...r, confirmedByStatement: confirmed.has(r.payment_id) }));
  const matches = PAYMENT_METHODS.every(
    (m) => paidByMethod[m].amount === totals[m].amount && paidByMethod[m].count === totals[m].count,
  );
  return {
    office,
    day,
    receipts,
    officers: [...officers.entries()].map(([name, byMethod]) => ({
      name,
      byMethod,
      total: PAYMENT_METHODS.reduce((a, m) => a + byMethod[m].amount, 0),
    })),
    totals,
    total: PAYMENT_METHODS.reduce((a, m) => a + totals[m].amount, 0),
    paidByMethod,
    transfers,
    problems,
    balanced: matches && problems.length === 0,
  };
}

export type DayTakings = Awaited<ReturnType<typeof dayTakings>>;

function takingsRows(t: DayTakings, now: Date): XlsxCell[][] {
  const rows: XlsxCell[][] = [
    [T.title],
    [T.office, `${t.office.name} (${t.office.code})`],
    [T.day, formatDate(t.day)],
    [T.generatedAt, formatDateTime(now)],
    [],
    T.header,
  ];
  for (const r of t.receipts)
    rows.push([
      r.number,
      `${r.series}/${r.year}`,
      r.dossier_code,
      r.payer_name,
      r.fee_name,
      vi.payments.method[r.method] ?? r.method,
      r.amount,
      r.issued_by_name,
      formatDateTime(r.issued_at),
      vi.payments.receiptState[r.state] ?? r.state,
      r.cancel_reason ?? '',
    ]);
  rows.push([], [T.byOfficer, ...PAYMENT_METHODS.map((m) => vi.payments.method[m]!), T.total]);
  for (const o of t.officers)
    rows.push([o.name, ...PAYMENT_METHODS.map((m) => o.byMethod[m].amount), o.total]);
  rows.push([T.total, ...PAYMENT_METHODS.map((m) => t.totals[m].amount), t.total]);
  rows.push([], [t.balanced ? T.balanced : T.unbalanced]);
  for (const p of t.problems) rows.push([p.reference, p.problem]);
  return rows;
}

export async function writeTakingsCsv(out: Writable, t: DayTakings, now: Date): Promise<void> {
  await write(out, UTF8_BOM);
  for (const row of takingsRows(t, now)) await write(out, csvLine(row));
  out.end();
}

export async function writeTakingsXlsx(out: Writable, t: DayTakings, now: Date): Promise<void> {
  const widths = [10, 10, 28, 26, 40, 22, 12, 26, 17, 10, 30];
  const sheet = await XlsxSheetWriter.open(
    out,
    T.sheet,
    widths.map((width) => ({ width })),
    {
      utcOffsetMinutes: VIETNAM_OFFSET_MINUTES,
      now,
    },
  );
  for (const row of takingsRows(t, now)) await sheet.addRow(row, { bold: row.length === 1 });
  await sheet.finish();
}

export const summaryQuery = z.object({
  from: z.string().describe('First local day, YYYY-MM-DD'),
  to: z.string().describe('Last local day, YYYY-MM-DD'),
  office: z.string().max(40).optional().describe('Office code (default every office in scope)'),
});

/**
 * The period's fee figures of some offices, for the report: collected per procedure and method,
 * and the share of paid fee-bearing dossiers paid online (`truc-tuyen`; docs/DOMAIN.md §10).
 */
export async function paymentFigures(db: Db, officeIds: number[], from: string, to: string) {
  const rows = (await findCollected(db, officeIds, from, to)).map((r) => ({
    procedure_code: r.procedure_code,
    procedure_name: r.procedure_name,
    method: r.method as PaymentMethod,
    count: Number(r.count),
    amount: Number(r.amount),
  }));
  const byMethod = sums();
  for (const r of rows) {
    byMethod[r.method].count += r.count;
    byMethod[r.method].amount += r.amount;
  }
  const paid = PAYMENT_METHODS.reduce((a, m) => a + byMethod[m].count, 0);
  return {
    from,
    to,
    by_procedure: rows,
    by_method: byMethod,
    total: { count: paid, amount: PAYMENT_METHODS.reduce((a, m) => a + byMethod[m].amount, 0) },
    online_share: {
      paid,
      online: byMethod.online.count,
      share: paid === 0 ? null : byMethod.online.count / paid,
    },
  };
}

/** `GET /api/v1/payments/summary`: supervisors and administrators, offices in their scope. */
export async function paymentSummary(ctx: AppContext, account: CurrentAccount, raw: unknown) {
  if (account.role === 'officer') throw new ForbiddenError();
  const parsed = summaryQuery.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  const { from, to } = parsed.data;
  const errors: Record<string, string> = {};
  if (!isIsoDate(from)) errors.from = vi.payments.errors.dateInvalid;
  if (!isIsoDate(to)) errors.to = vi.payments.errors.dateInvalid;
  if (!errors.from && !errors.to && (to < from || daysBetween(from, to) > 366))
    errors.to = vi.payments.errors.periodInvalid;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const scope = await accessibleOfficeIds(ctx, account);
  let offices = scope;
  let office: OfficeRow | null = null;
  if (parsed.data.office) {
    office =
      (await ctx.masterData.offices()).find((o) => o.code === parsed.data.office!.toUpperCase()) ??
      null;
    if (!office || !scope.includes(office.id))
      throw new ValidationError({ office: vi.payments.errors.officeInvalid });
    offices = [office.id];
  }
  return {
    office: office ? { code: office.code, name: office.name } : null,
    ...(await paymentFigures(ctx.reportDb, offices, from, to)),
  };
}
