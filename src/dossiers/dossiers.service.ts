import { parseAnyPlate } from './vehicle-plate.js';
import { withoutControlCharacters } from '../validation.js';
import { inTransaction } from '../db/transactions.js';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../accounts/current-account.js';
import { recordAccess, searchDigest } from '../audit/audit.service.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { foldVietnamese } from '../lib/fold.js';
import { formatMoney } from '../lib/format.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { returnTicketsOfDossier, ticketOfDossier } from '../queue/tickets.service.js';
import { accessibleOfficeIds } from '../offices/office-scope.js';
import { isValidFrameNumber, normalizeMobile, normalizeStampedNumber } from './applicant-fields.js';
import { availableActions } from './dossier-actions.js';
import { generateLookupKey, hashLookupKey, looksLikeDossierCode } from './dossier-code.js';
import { recordDossierEvent } from './dossier-events.js';
import {
  findBoardLists,
  findDossierByCode,
  findDossierDocuments,
  findDossierEvents,
  findLatestApplicant,
  searchDossiers,
  setLookupKeyHash,
  type DossierSearch,
} from './dossiers.repository.js';
import { dueExplanationOf, groupSkippedDays } from './due-explanation.js';
import { loadAccessibleDossier } from './workflow.service.js';
import { dossierFilesView } from '../files/files-view.service.js';
import { holderLabelOf, stepsOverview } from './steps-view.service.js';
import { findOpenSteps, findOpenStepsOfDossiers } from './steps.repository.js';
import { findDossierForms, trackingBookPosition } from './forms.repository.js';
import { startOfLocalDayIso } from '../lib/vietnam-time.js';
import { listNotificationsOf } from '../notifications/notifications.service.js';
import { failedCount } from '../notifications/admin.service.js';

export const SEARCH_PAGE_SIZE = 20;

/**
 * What a scanned receipt QR types: the citizen-page URL with `ma=<code>` (and the key, which is
 * dropped here). Returns the code, or null when the text is not such a URL.
 */
export function codeFromLookupUrl(text: string): string | null {
  const m = /^https?:\/\/[^\s?#]+\/tra-cuu\?([^\s#]*)$/i.exec(text.trim());
  if (!m) return null;
  const code = new URLSearchParams(m[1]).get('ma');
  return code && looksLikeDossierCode(code) ? code.toUpperCase() : null;
}

/** Reads what the officer typed: a dossier code, a 12-digit ID number, a phone number or a name. */
export function interpretSearch(q: string): DossierSearch {
  const typed = withoutControlCharacters(q);
  const text = codeFromLookupUrl(typed) ?? typed.trim();
  if (!text) return { kind: 'all' };
  if (
    looksLikeDossierCode(text) ||
    /^[0-9A-Za-z.]*\d{6}-\d{1,4}$/.test(text) ||
    /^\d{6}-\d{4}$/.test(text)
  )
    return { kind: 'code', value: text };
  const digits = text.replace(/[\s.]/g, '');
  if (/^\d{12}$/.test(digits)) return { kind: 'personal_id', value: digits };
  const phone = normalizeMobile(text);
  if (phone) return { kind: 'phone', value: phone };
  // A plate however it is typed, or a frame number (letters and digits, both present).
  const plate = parseAnyPlate(text);
  if (plate) return { kind: 'vehicle', value: plate.canonical };
  const stamped = normalizeStampedNumber(text);
  if (isValidFrameNumber(stamped) && /\d/.test(stamped) && /[A-Z]/.test(stamped))
    return { kind: 'vehicle', value: stamped };
  return { kind: 'name', value: foldVietnamese(text) };
}

/**
 * The dossier to open at once: an exact code typed or scanned (a receipt's QR types its lookup
 * URL) that the account may see; null otherwise.
 */
export async function dossierToOpen(
  ctx: AppContext,
  account: CurrentAccount,
  q: string,
): Promise<string | null> {
  const code = codeFromLookupUrl(q) ?? (looksLikeDossierCode(q) ? q.trim().toUpperCase() : null);
  if (!code) return null;
  const dossier = await findDossierByCode(ctx.db, code);
  if (!dossier || !(await accessibleOfficeIds(ctx, account)).includes(dossier.office_id))
    return null;
  return dossier.code;
}

export async function searchAccessibleDossiers(
  ctx: AppContext,
  account: CurrentAccount,
  q: string,
  page: number,
) {
  if (q.length > 300) throw new ValidationError({ q: vi.dossiers.errors.tooLong(300) });
  const offices = await accessibleOfficeIds(ctx, account);
  const search = interpretSearch(q);
  const rows = await searchDossiers(ctx.db, offices, search, {
    limit: SEARCH_PAGE_SIZE + 1,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  });
  // Searching for a person is access to their data; the value itself is kept only as a digest.
  if (
    search.kind === 'personal_id' ||
    search.kind === 'phone' ||
    search.kind === 'name' ||
    search.kind === 'vehicle'
  ) {
    await recordAccess(ctx, account, 'dossier.searched', search.kind, {
      digest: searchDigest(ctx, search.value),
      results: Math.min(rows.length, SEARCH_PAGE_SIZE),
      page,
    });
  }
  return { rows: rows.slice(0, SEARCH_PAGE_SIZE), hasNext: rows.length > SEARCH_PAGE_SIZE };
}

/** The counter's board for an office the account may see (its own by default). */
export async function getBoard(
  ctx: AppContext,
  account: CurrentAccount,
  officeId = account.officeId,
) {
  const offices = await accessibleOfficeIds(ctx, account);
  if (!offices.includes(officeId)) throw new ForbiddenError(vi.dossiers.errors.notYourOffice);
  const all = await ctx.masterData.offices();
  const office = all.find((o) => o.id === officeId);
  if (!office) throw new NotFoundError();
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const choices = offices.length > 1 ? all.filter((o) => offices.includes(o.id)) : [];
  const nowIso = now.toISOString();
  // Late and at-risk steps after the counter: escalated to the office's supervisor here.
  const [lateSteps, riskySteps] = await Promise.all([
    findOpenSteps(ctx.db, { officeIds: [officeId], overdueAt: nowIso }),
    findOpenSteps(ctx.db, { officeIds: [officeId], atRiskAt: nowIso }),
  ]);
  const steps = {
    overdue: lateSteps.map((r) => ({ ...r, holderLabel: holderLabelOf(r) })),
    atRisk: riskySteps.length,
  };
  const [lists, failedMessages] = await Promise.all([
    findBoardLists(ctx.db, officeId, today, nowIso),
    failedCount(ctx, account),
  ]);
  // Who holds each listed dossier now (null: no open step, e.g. imported history).
  const ids = [...new Set(Object.values(lists).flatMap((l) => l.rows.map((r) => r.id)))];
  const holders = new Map(
    (await findOpenStepsOfDossiers(ctx.db, ids)).map((s) => [s.dossier_id, holderLabelOf(s)]),
  );
  const withHolders = Object.fromEntries(
    Object.entries(lists).map(([name, l]) => [
      name,
      { ...l, rows: l.rows.map((r) => ({ ...r, holder: holders.get(r.id) ?? null })) },
    ]),
  ) as {
    [K in keyof typeof lists]: {
      total: number;
      rows: ((typeof lists)[K]['rows'][number] & { holder: string | null })[];
    };
  };
  return { office, offices: choices, today, now, lists: withHolders, steps, failedMessages };
}

export async function getDossierDetail(ctx: AppContext, account: CurrentAccount, code: string) {
  const dossier = await loadAccessibleDossier(ctx, account, code);
  await recordAccess(ctx, account, 'dossier.viewed', dossier.code ?? `#${dossier.id}`);
  const [documents, events, offices] = await Promise.all([
    findDossierDocuments(ctx.db, dossier.id),
    findDossierEvents(ctx.db, dossier.id),
    ctx.masterData.offices(),
  ]);
  const office = offices.find((o) => o.id === dossier.office_id);
  // The fee as the catalog states it now (a fee is paid at intake; slips reprint the same one).
  const procedure = await ctx.masterData.procedure(dossier.procedure_code);
  const fee = {
    text:
      procedure?.fee_vnd === null || procedure?.fee_vnd === undefined
        ? vi.dossiers.feeByCase
        : formatMoney(procedure.fee_vnd),
    note: procedure?.fee_note ?? '',
  };
  const explanation = dueExplanationOf(dossier);
  const now = ctx.clock.now();
  const effectiveDueAt = dossier.rescheduled_due_at ?? dossier.due_at;
  const overdue =
    ['received', 'processing'].includes(dossier.status) &&
    !!effectiveDueAt &&
    effectiveDueAt < now.toISOString();
  const [steps, forms, notifications, ticket, returnTickets] = await Promise.all([
    stepsOverview(ctx, account, dossier),
    findDossierForms(ctx.db, dossier.id),
    listNotificationsOf(ctx, dossier.id),
    ticketOfDossier(ctx, dossier.ticket_id),
    returnTicketsOfDossier(ctx, dossier.id),
  ]);
  const digitisation = await dossierFilesView(ctx, account, dossier);
  const parentOffice = office?.parent_id
    ? (offices.find((o) => o.id === office.parent_id) ?? null)
    : null;
  return {
    steps,
    forms,
    notifications,
    /** The queue ticket the dossier was received from: arrival, call and service in the same record. */
    ticket,
    returnTickets,
    parentOffice,
    formSet: procedure?.form_set ?? 'tt03',
    legalBasis: procedure?.legal_basis ?? '',
    dossier,
    documents,
    events: events.map((e) => ({
      ...e,
      details: JSON.parse(e.details) as Record<string, unknown>,
    })),
    office: office!,
    fee,
    explanation,
    skippedRuns: explanation ? groupSkippedDays(explanation.skippedDays) : [],
    actions: availableActions(dossier),
    overdue,
    digitisation,
  };
}

export type DossierDetail = Awaited<ReturnType<typeof getDossierDetail>>;

/** The dossier and its due-date explanation only: what an intake's answer shows (no history). */
export async function getDossierSummary(ctx: AppContext, account: CurrentAccount, code: string) {
  const dossier = await loadAccessibleDossier(ctx, account, code);
  return { dossier, explanation: dueExplanationOf(dossier) };
}

/** The last known details of an applicant, by ID number, within the offices the account sees. */
export async function findApplicant(ctx: AppContext, account: CurrentAccount, personalId: string) {
  if (!/^\d{12}$/.test(personalId))
    throw new ValidationError({ personal_id: vi.dossiers.errors.personalIdFormat });
  const offices = await accessibleOfficeIds(ctx, account);
  const applicant = (await findLatestApplicant(ctx.db, offices, personalId)) ?? null;
  await recordAccess(ctx, account, 'applicant.looked_up', 'personal_id', {
    digest: searchDigest(ctx, personalId),
    found: applicant !== null,
  });
  return applicant;
}

/**
 * Reprints the receipt: the key is stored only hashed, so a reprint issues a new one and the old
 * slip's key stops working (a lost receipt can no longer be used by whoever found it).
 */
export async function reissueLookupKey(
  ctx: AppContext,
  account: CurrentAccount,
  code: string,
): Promise<string> {
  const dossier = await loadAccessibleDossier(ctx, account, code);
  if (!dossier.code || dossier.intake_outcome !== 'accepted')
    throw new NotFoundError(vi.dossiers.errors.notFound);
  const key = generateLookupKey();
  const nowIso = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (tx) => {
    await setLookupKeyHash(
      tx,
      dossier.id,
      hashLookupKey(ctx.config.lookupKeySecret, dossier.code!, key),
      nowIso,
    );
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action: 'receipt.reprinted',
      from: dossier.status,
      to: dossier.status,
    });
  });
  return key;
}

export const SLIP_KINDS = [
  'receipt',
  'supplement',
  'refusal',
  'apology',
  'stop',
  'control',
  'return',
] as const;
export type SlipKind = (typeof SLIP_KINDS)[number];

/** Which slips a dossier has, given what happened to it. */
export function slipsFor(
  d: {
    intake_outcome: string;
    status: string;
    code: string | null;
    rescheduled_due_on: string | null;
    supplement_requested_at: string | null;
  },
  events: { action: string }[],
): SlipKind[] {
  const slips: SlipKind[] = [];
  // Once returned, the appointment slip has done its work: no reprint (and no new lookup key).
  if (d.intake_outcome === 'accepted')
    slips.push(
      ...(d.status === 'returned'
        ? (['control', 'return'] as const)
        : (['receipt', 'control'] as const)),
    );
  if (d.intake_outcome === 'guided' || events.some((e) => e.action === 'request_supplement'))
    slips.push('supplement');
  if (d.intake_outcome === 'refused' || d.status === 'refused') slips.push('refusal');
  if (d.rescheduled_due_on) slips.push('apology');
  if (d.status === 'stopped' || d.status === 'withdrawn') slips.push('stop');
  return slips;
}

/** Every print or reprint of a slip is an event on the dossier. */
export async function recordSlipPrinted(
  ctx: AppContext,
  account: CurrentAccount,
  dossierId: number,
  status: string,
  kind: SlipKind,
): Promise<void> {
  await inTransaction(ctx.db, (tx) =>
    recordDossierEvent(tx, {
      dossierId,
      at: ctx.clock.now().toISOString(),
      actor: account,
      action: 'slip.printed',
      from: status,
      to: status,
      details: { slip: kind },
    }),
  );
}

/** The receipt's tracking-book reference: the book of the year (quyển số) and the row in it. */
export async function trackingBookReference(
  ctx: AppContext,
  dossier: { office_id: number; received_on: string; received_at: string; id: number },
) {
  const year = dossier.received_on.slice(0, 4);
  const row = await trackingBookPosition(
    ctx.db,
    dossier.office_id,
    startOfLocalDayIso(`${year}-01-01`),
    dossier.received_at,
    dossier.id,
  );
  return { book: `01/${year}`, row };
}
