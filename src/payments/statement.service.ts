import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { actorOf } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { inTransaction } from '../db/transactions.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { readSheetIsolated, SheetReadError } from '../imports/sheet-reader.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { loose, parseInput } from '../validation.js';
import { findDossiersForPayment } from './payments.repository.js';
import {
  findOpenReview,
  findReviewItem,
  insertStatement,
  insertStatementLine,
  paymentHasStatementLine,
  resolveReviewItem,
  statementLineExists,
  updateStatementCounts,
} from './reconcile.repository.js';
import { ensurePayment, payAndIssue, type Actor } from './settle.js';
import { standingOf } from './standing.js';
import {
  classifyTransfer,
  dossierCodesIn,
  matchStatementHeadings,
  statementLineKey,
  statementLineOf,
  type MatchOutcome,
  type StatementColumn,
  type StatementLine,
} from './statement-match.js';

/**
 * The bank's statement of the office's account (CSV or XLSX), read through the imports' safe
 * sheet reader (a child process with a heap and a time limit). Each credit line is matched to a
 * dossier by the code in its content and its amount; a match pays the fee (or confirms a transfer
 * a callback recorded); anything else is listed for review. A line imported before is skipped.
 */
const E = vi.payments.errors;
/** The heading row is looked for in the first rows only (bank statements open with a header block). */
const HEADING_WITHIN = 40;

export interface StatementReport {
  lines: number;
  matched: number;
  review: number;
  repeated: number;
  outcomes: { line: StatementLine; outcome: MatchOutcome | 'repeated'; dossier: string | null }[];
}

function requireSupervisor(account: CurrentAccount): void {
  if (account.role === 'officer') throw new ForbiddenError();
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readLines(ctx: AppContext, path: string): Promise<StatementLine[]> {
  const limits = {
    memoryMb: ctx.config.importWorkerMemoryMb,
    timeoutMs: ctx.config.importWorkerTimeoutMs,
    maxUnpackedBytes: ctx.config.importMaxUnpackedBytes,
  };
  let columns: Map<StatementColumn, number> | null = null;
  const lines: StatementLine[] = [];
  try {
    for await (const { rowNumber, cells } of readSheetIsolated(path, limits)) {
      if (!columns) {
        if (rowNumber > HEADING_WITHIN) break;
        columns = matchStatementHeadings(cells);
        continue;
      }
      const line = statementLineOf(rowNumber, cells, columns);
      if (line) lines.push(line);
    }
  } catch (err) {
    if (err instanceof SheetReadError) throw new ValidationError({ file: E.statementUnreadable });
    throw err;
  }
  if (!columns) throw new ValidationError({ file: E.statementHeadings });
  return lines;
}

export async function importStatement(
  ctx: AppContext,
  account: CurrentAccount,
  officeId: number,
  file: { path: string; name: string } | null,
): Promise<StatementReport> {
  requireSupervisor(account);
  if (!(await accessibleOfficeIds(ctx, account)).includes(officeId))
    throw new ValidationError({ office: E.officeInvalid });
  if (!file) throw new ValidationError({ file: E.statementFile });
  const office = (await ctx.masterData.offices()).find((o) => o.id === officeId)!;
  const [lines, sha] = await Promise.all([readLines(ctx, file.path), sha256Of(file.path)]);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const actor: Actor = { accountId: account.id, name: account.fullName };
  return inTransaction(ctx.db, async (tx) => {
    const statementId = await insertStatement(tx, {
      office_id: officeId,
      account_id: account.id,
      file_name: file.name.slice(0, 200),
      file_sha256: sha,
      at: nowIso,
      line_count: lines.length,
      matched_count: 0,
      review_count: 0,
      repeated_count: 0,
    });
    const report: StatementReport = {
      lines: lines.length,
      matched: 0,
      review: 0,
      repeated: 0,
      outcomes: [],
    };
    for (const line of lines) {
      const key = statementLineKey(officeId, line);
      if (await statementLineExists(tx, key)) {
        report.repeated++;
        report.outcomes.push({ line, outcome: 'repeated', dossier: null });
        continue;
      }
      const codes = dossierCodesIn(`${line.description} ${line.bankRef}`, [office.code]);
      const dossier = codes.length === 1 ? (await findDossiersForPayment(tx, codes))[0] : undefined;
      let outcome: MatchOutcome = codes.length > 1 ? 'ambiguous' : 'unknown_reference';
      let paymentId: number | null = null;
      if (dossier && dossier.office_id === officeId) {
        const standing = await standingOf(tx, dossier);
        paymentId = standing.payment?.id ?? null;
        outcome = classifyTransfer(line.amount, {
          state: standing.state,
          amountDue: standing.amountDue,
          method: standing.payment?.method ?? null,
          confirmedByStatement:
            paymentId !== null && (await paymentHasStatementLine(tx, paymentId)),
        });
        if (outcome === 'paid') {
          const { payment } = await ensurePayment(tx, dossier, actor, nowIso);
          const paid = await payAndIssue(
            tx,
            office,
            payment,
            { method: 'transfer', amount: line.amount, payerName: dossier.applicant_name },
            actor,
            now,
            ctx.dossierExtensions,
          );
          paymentId = paid.payment.id;
        }
      }
      const settled = outcome === 'paid' || outcome === 'confirmed';
      await insertStatementLine(tx, {
        statement_id: statementId,
        office_id: officeId,
        line_key: key,
        line_no: line.lineNo,
        booked_on: line.bookedOn,
        amount: line.amount,
        description: line.description,
        bank_ref: line.bankRef,
        match_state: outcome,
        dossier_id: dossier && dossier.office_id === officeId ? dossier.id : null,
        payment_id: paymentId,
        review_state: settled ? 'none' : 'open',
        resolved_at: null,
        resolved_by: null,
        resolution_note: null,
      });
      if (settled) report.matched++;
      else report.review++;
      report.outcomes.push({ line, outcome, dossier: dossier?.code ?? null });
    }
    await updateStatementCounts(tx, statementId, {
      line_count: lines.length,
      matched_count: report.matched,
      review_count: report.review,
      repeated_count: report.repeated,
    });
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'payments.statement_imported',
      subject: office.code,
      details: { file: file.name, sha256: sha, ...report, outcomes: undefined },
    });
    return report;
  });
}

/** The review list: callbacks and statement lines no one matched yet. */
export async function reviewList(ctx: AppContext, account: CurrentAccount) {
  requireSupervisor(account);
  const offices = await accessibleOfficeIds(ctx, account);
  return findOpenReview(ctx.db, offices, account.role === 'admin');
}

const resolveSchema = z.object({
  note: loose.text(500).refine((v) => v.length > 0, E.reasonRequired),
  dossier_code: loose.text(60),
});

/**
 * Closes a review item with a note (refunded to the payer, a fee of another office, …), or, when a
 * person names the dossier, pays that dossier's fee with this money if the amount is exactly due.
 */
export async function resolveReview(
  ctx: AppContext,
  account: CurrentAccount,
  kind: 'callback' | 'line',
  id: number,
  raw: unknown,
): Promise<void> {
  requireSupervisor(account);
  const input = parseInput(resolveSchema, raw, ['note']);
  const item = await findReviewItem(ctx.db, kind, id);
  const offices = await accessibleOfficeIds(ctx, account);
  const visible =
    item && (item.office_id === null ? account.role === 'admin' : offices.includes(item.office_id));
  if (!item || !visible) throw new NotFoundError(E.reviewNotFound, 'review_not_found');
  const dossier = input.dossier_code
    ? (await findDossiersForPayment(ctx.db, [input.dossier_code]))[0]
    : undefined;
  if (input.dossier_code && (!dossier || !offices.includes(dossier.office_id)))
    throw new ValidationError({ dossier_code: vi.dossiers.errors.notFound });
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const actor: Actor = { accountId: account.id, name: account.fullName };
  // Read before the transaction: the cache reads through the connection a transaction holds.
  const allOffices = await ctx.masterData.offices();
  await inTransaction(ctx.db, async (tx) => {
    let paymentId: number | undefined;
    if (dossier) {
      const office = allOffices.find((o) => o.id === dossier.office_id)!;
      const { payment } = await ensurePayment(tx, dossier, actor, nowIso);
      const method =
        kind === 'callback'
          ? (ctx.config.payments.providers.find((p) => p.name === item.provider)?.method ??
            'transfer')
          : 'transfer';
      const paid = await payAndIssue(
        tx,
        office,
        payment,
        { method, amount: item.amount, payerName: dossier.applicant_name },
        actor,
        now,
        ctx.dossierExtensions,
      );
      paymentId = paid.payment.id;
    }
    const ok = await resolveReviewItem(tx, kind, id, {
      resolved_at: nowIso,
      resolved_by: account.id,
      resolution_note: input.note,
      ...(dossier && paymentId ? { payment_id: paymentId, dossier_id: dossier.id } : {}),
    });
    if (!ok) throw new ConflictError(E.alreadyResolved, 'already_resolved');
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'payments.review_resolved',
      subject: `${kind}:${id}`,
      details: { note: input.note, dossier: dossier?.code ?? null },
    });
  });
}
