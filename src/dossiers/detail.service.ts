import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { recordAccess } from '../audit/audit.service.js';
import { formatFee } from '../lib/format.js';
import { vi } from '../locale/vi.js';
import { listNotificationsOf } from '../notifications/notifications.service.js';
import { allowedActions, type ActionName } from './actions/index.js';
import { findStepsOf, policyFacts, stepsOverview } from './handover/index.js';
import { decide, PAGE_VERBS, type PolicyFacts } from './policy/index.js';
import {
  dueExplanationOf,
  findDossierDocuments,
  findDossierEvents,
  groupSkippedDays,
  loadAccessibleDossier,
  OPEN_STATUSES,
  returnTicketsOfDossier,
  ticketOfDossier,
  type DossierStatus,
  type SlipKind,
} from './record/index.js';
import { findDossierForms, slipsFor } from './slips/index.js';

type DetailDeps = Deps<'db' | 'clock' | 'config' | 'masterData' | 'dossierExtensions'>;

interface EventView {
  id: number;
  action: string;
  details: Record<string, unknown>;
}

/**
 * The receipt to reprint after the papers' arrival moved the date, until a new one is printed:
 * `{ before, after }` of the latest move, or null. Decided here, not in the page.
 */
export function movedDatePrompt(
  status: string,
  events: EventView[],
): { before: string; after: string } | null {
  if (!OPEN_STATUSES.includes(status as DossierStatus)) return null;
  const moved = [...events]
    .reverse()
    .find(
      (e) =>
        e.action === 'receive_supplement' &&
        typeof e.details.dueOnAfter === 'string' &&
        e.details.dueOnAfter !== e.details.dueOnBefore,
    );
  if (!moved) return null;
  if (events.some((e) => e.id > moved.id && e.action === 'receipt.reprinted')) return null;
  return {
    before: String(moved.details.dueOnBefore ?? ''),
    after: String(moved.details.dueOnAfter),
  };
}

/**
 * The latest correction of the intake, as the page and the receipt show it: when, what changed
 * (field labels), the date before and after, and whether a receipt was printed since. Null when
 * the intake was never corrected. Decided here, not in the page.
 */
export function correctionNotice(events: (EventView & { at: string })[]): {
  at: string;
  fields: string[];
  dueBefore: string | null;
  dueAfter: string | null;
  reprinted: boolean;
} | null {
  const last = [...events].reverse().find((e) => e.action === 'correct_intake');
  if (!last) return null;
  const changes = (last.details.changes ?? []) as { field: string }[];
  const dueBefore = (last.details.dueOnBefore as string | null) ?? null;
  const dueAfter = (last.details.dueOnAfter as string | null) ?? null;
  return {
    at: last.at,
    // The date is said on its own, with its before and after.
    fields: changes
      .filter((c) => c.field !== 'due_on')
      .map((c) => vi.correction.field[c.field] ?? c.field),
    dueBefore,
    dueAfter,
    reprinted: events.some((e) => e.id > last.id && e.action === 'receipt.reprinted'),
  };
}

/** The slips this account may print: all the dossier has, but a new receipt only at the counter. */
export function printableSlips(slips: SlipKind[], facts: PolicyFacts): SlipKind[] {
  const counter = decide(PAGE_VERBS.reprint_receipt, facts).allowed;
  return slips.filter((s) => s !== 'receipt' || counter);
}

/**
 * A dossier as its page, its slips and the API show it: the record, its papers and timeline,
 * its steps, its ticket, the messages sent, and what this account may do now (the action
 * table and the policy decide; the page only shows). Viewing is recorded as access to personal
 * data.
 */
export async function getDossierDetail(ctx: DetailDeps, account: CurrentAccount, code: string) {
  const dossier = await loadAccessibleDossier(ctx, account, code);
  await recordAccess(ctx, account, 'dossier.viewed', dossier.code ?? `#${dossier.id}`);
  const [documents, eventRows, offices, rows] = await Promise.all([
    findDossierDocuments(ctx.db, dossier.id),
    findDossierEvents(ctx.db, dossier.id),
    ctx.masterData.offices(),
    findStepsOf(ctx.db, dossier.id),
  ]);
  const office = offices.find((o) => o.id === dossier.office_id);
  // The fee as the catalog states it now (a fee is paid at intake; slips reprint the same one).
  const procedure = await ctx.masterData.procedure(dossier.procedure_code);
  const fee = {
    text: formatFee(procedure?.fee_vnd),
    note: procedure?.fee_note ?? '',
  };
  const explanation = dueExplanationOf(dossier);
  const now = ctx.clock.now();
  const effectiveDueAt = dossier.rescheduled_due_at ?? dossier.due_at;
  const overdue =
    ['received', 'processing'].includes(dossier.status) &&
    !!effectiveDueAt &&
    effectiveDueAt < now.toISOString();
  const [steps, forms, notifications, ticket, returnTickets, facts] = await Promise.all([
    stepsOverview(ctx, dossier, rows),
    findDossierForms(ctx.db, dossier.id),
    listNotificationsOf(ctx, dossier.id),
    ticketOfDossier(ctx, dossier.ticket_id),
    returnTicketsOfDossier(ctx, dossier.id),
    policyFacts(ctx, account, dossier, rows),
  ]);
  const parentOffice = office?.parent_id
    ? (offices.find((o) => o.id === office.parent_id) ?? null)
    : null;
  const events = eventRows.map((e) => ({
    ...e,
    details: JSON.parse(e.details) as Record<string, unknown>,
  }));
  const actions: ActionName[] = allowedActions(dossier, facts);
  // Sections other features add to the page (the digitised papers), through the port.
  const pageBlocks = await ctx.dossierExtensions.pageBlocks(dossier, account);
  return {
    steps,
    forms,
    notifications,
    /** The queue ticket the dossier was received from: arrival, call and service in one record. */
    ticket,
    returnTickets,
    parentOffice,
    formSet: procedure?.form_set ?? 'tt03',
    legalBasis: procedure?.legal_basis ?? '',
    dossier,
    documents,
    events,
    office: office!,
    fee,
    explanation,
    skippedRuns: explanation ? groupSkippedDays(explanation.skippedDays) : [],
    /** Every action of the table this account may take now (workflow and handover). */
    actions,
    /** The slips the dossier has (whoever prints them) and those this account may print. */
    slips: slipsFor(dossier, events),
    printable: printableSlips(slipsFor(dossier, events), facts),
    mayChangeConsent: decide(PAGE_VERBS.change_consent, facts).allowed,
    movedDate: movedDatePrompt(dossier.status, events),
    /** The latest correction of the intake (the page's notice, the receipt's reprint mark). */
    correction: correctionNotice(events),
    pageBlocks,
    overdue,
  };
}

export type DossierDetail = Awaited<ReturnType<typeof getDossierDetail>>;

/** The dossier and its due-date explanation only: what an intake's answer shows (no history). */
export async function getDossierSummary(
  ctx: Deps<'db' | 'masterData'>,
  account: CurrentAccount,
  code: string,
) {
  const dossier = await loadAccessibleDossier(ctx, account, code);
  return { dossier, explanation: dueExplanationOf(dossier) };
}
