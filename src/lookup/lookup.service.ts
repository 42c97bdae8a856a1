import { hasAnyControlCharacter } from '../validation.js';
import { publishedHoursOf } from '../calendar/working-hours.js';
import type { AppContext } from '../context.js';
import type { RatingLevel } from '../db/schema.js';
import type { OfficeRow } from '../db/schema.js';
import {
  latestSupplementRequest,
  hashLookupKey,
  lookupKeyMatches,
  normalizeLookupKey,
  dueExplanationOf,
  groupSkippedDays,
  type SkippedRun,
  type StoredDueExplanation,
} from '../dossiers/index.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatDate } from '../lib/format.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import {
  countLookupEventsBefore,
  deleteLookupEventsBefore,
  findDossierByCode,
  insertRating,
  type LookupRow,
} from './lookup.repository.js';

/** A dossier as the lookup reads it, with its office from the master data. */
type DossierForCitizen = NonNullable<LookupRow> & {
  officeName: string;
  officeAddress: string;
  officePhone: string;
  officeHours: string;
};

/** Each office with its published hours, per version of the master data's office list. */
const officesById = new WeakMap<OfficeRow[], Map<number, { office: OfficeRow; hours: string }>>();

/** The dossier for a code, with its office from the cached master data (no join, no query). */
async function findDossierForCitizen(
  ctx: AppContext,
  code: string,
): Promise<DossierForCitizen | undefined> {
  const [row, offices] = await Promise.all([
    findDossierByCode(ctx.readDb, code),
    ctx.masterData.offices(),
  ]);
  if (!row) return undefined;
  let byId = officesById.get(offices);
  if (!byId) {
    // The hours are parsed once per office, not per lookup (a visible share of the lookup's CPU).
    byId = new Map(offices.map((o) => [o.id, { office: o, hours: publishedHoursOf(o) }]));
    officesById.set(offices, byId);
  }
  const found = byId.get(row.office_id);
  const office = found?.office;
  return {
    ...row,
    officeName: office?.name ?? '',
    officeAddress: office?.address ?? '',
    officePhone: office?.phone ?? '',
    officeHours: found ? found.hours : publishedHoursOf(undefined),
  };
}

/** "Nguyễn Văn An" → "N*** V*** A***": enough for a citizen to recognise, not to identify. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => `${[...word][0] ?? ''}***`)
    .join(' ');
}

const RATING_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied', 'unsatisfied'];

/** The whole of what the public may see of a dossier (docs/DOMAIN.md §7): a whitelist. */
export interface PublicDossierView {
  code: string;
  procedureName: string;
  maskedName: string;
  office: { name: string; address: string; phone: string; hours: string };
  receivedAt: string;
  dueAt: string | null;
  rescheduledDueAt: string | null;
  status: string;
  statusLabel: string;
  outcome: string | null;
  outcomeLabel: string | null;
  whatToBring: string[];
  note: string | null;
  explanation: StoredDueExplanation | null;
  skippedRuns: SkippedRun[];
  canRate: boolean;
  rating: { level: RatingLevel; label: string } | null;
  /** The result sent by post: its tracking code and what became of it (never the address). */
  post: { trackingCode: string; line: string } | null;
  /** Files of the electronic result the citizen may download (with one more fact, see src/files). */
  electronicResultFiles: number;
}

/**
 * Normalizes what the citizen typed; codes are case-insensitive in their office part. This one
 * normal form is what the limits count, whichever parameter names carried it.
 */
export function normalizeLookupInput(
  code: unknown,
  key: unknown,
): { code: string; key: string } | null {
  if (typeof code !== 'string' || typeof key !== 'string') return null;
  // A control character is never part of a code or key (and PostgreSQL refuses NUL in text).
  if (hasAnyControlCharacter(code) || hasAnyControlCharacter(key)) return null;
  const c = code.trim().toUpperCase();
  const k = normalizeLookupKey(key);
  if (!c || !k || c.length > 40 || k.length > 12) return null;
  return { code: c, key: k };
}

/**
 * The dossier for code + key, or null, and one lookup event (hit or miss). Unknown code and
 * wrong key take the same path and give the same null.
 */
async function verifiedDossier(
  ctx: AppContext,
  code: string,
  key: string,
  channel: 'page' | 'api',
): Promise<DossierForCitizen | null> {
  const dossier = await findDossierForCitizen(ctx, code);
  const secret = ctx.config.lookupKeySecret;
  // An unknown code is compared against a hash of its own, so a miss costs what a wrong key costs.
  const stored = dossier?.lookup_key_hash ?? hashLookupKey(secret, `${code}\u0000unknown`, key);
  const hit =
    lookupKeyMatches(secret, dossier?.code ?? code, key, stored) && !!dossier?.lookup_key_hash;
  ctx.lookupEvents.record({
    at: ctx.clock.now().toISOString(),
    code: code.slice(0, 40),
    hit,
    channel,
  });
  return hit ? dossier : null;
}

async function publicView(ctx: AppContext, dossier: DossierForCitizen): Promise<PublicDossierView> {
  const status = dossier.status;
  let whatToBring: string[] = [];
  let note: string | null = null;
  const posted = !!dossier.post_tracking_code;
  if (status === 'result_ready' && !posted) whatToBring = [...vi.lookup.bringForPickup];
  if (status === 'supplement_requested') {
    const asked = await latestSupplementRequest(ctx, dossier.id);
    whatToBring = asked ? [asked] : [];
  }
  if (status === 'refused') note = vi.lookup.refusedNote;
  const rating = dossier.ratingLevel ? { level: dossier.ratingLevel } : null;
  const explanation = dueExplanationOf(dossier);
  const showOutcome = status === 'result_ready' || status === 'returned';
  return {
    code: dossier.code!,
    procedureName: dossier.procedure_name,
    maskedName: maskName(dossier.applicant_name),
    office: {
      name: dossier.officeName,
      address: dossier.officeAddress,
      phone: dossier.officePhone,
      hours: dossier.officeHours,
    },
    receivedAt: dossier.received_at,
    dueAt: dossier.due_at,
    rescheduledDueAt: dossier.rescheduled_due_at,
    status,
    statusLabel:
      posted && status === 'result_ready'
        ? vi.post.lookup.inTransit
        : (vi.lookup.status[status] ?? status),
    post: dossier.post_tracking_code
      ? {
          trackingCode: dossier.post_tracking_code,
          line: dossier.post_delivered_on
            ? vi.post.lookup.delivered(formatDate(dossier.post_delivered_on))
            : vi.post.lookup.sent(
                dossier.post_tracking_code,
                formatDate(localDateOf(new Date(dossier.post_dispatched_at ?? 0))),
              ),
        }
      : null,
    outcome: showOutcome ? dossier.outcome : null,
    outcomeLabel: showOutcome && dossier.outcome ? vi.dossiers.outcome[dossier.outcome]! : null,
    whatToBring,
    note,
    explanation,
    skippedRuns: explanation ? groupSkippedDays(explanation.skippedDays) : [],
    canRate: status === 'returned' && !rating,
    rating: rating ? { level: rating.level, label: vi.lookup.rating.levels[rating.level]! } : null,
    electronicResultFiles: showOutcome ? Number(dossier.resultFiles ?? 0) : 0,
  };
}

/**
 * The dossier for code + key (one lookup event, hit or miss), for features that act for the
 * citizen on it: its id and office only, the rest is theirs to read.
 */
export async function verifyLookupKey(
  ctx: AppContext,
  code: string,
  key: string,
): Promise<{ id: number; code: string; view: PublicDossierView } | null> {
  const dossier = await verifiedDossier(ctx, code, key, 'page');
  return dossier
    ? { id: dossier.id, code: dossier.code!, view: await publicView(ctx, dossier) }
    : null;
}

/** The public view of a dossier for code + key, or null. Every lookup is counted once. */
export async function lookUpDossier(
  ctx: AppContext,
  code: string,
  key: string,
  channel: 'page' | 'api',
): Promise<PublicDossierView | null> {
  const dossier = await verifiedDossier(ctx, code, key, channel);
  return dossier ? publicView(ctx, dossier) : null;
}

/**
 * A returned dossier's one satisfaction rating; a second is refused (conflict). The rating is
 * one lookup (one event, a hit when the key is right): the page shown after it is built from a
 * fresh read without counting again.
 */
export async function rateDossier(
  ctx: AppContext,
  code: string,
  key: string,
  level: unknown,
  comment: unknown,
): Promise<PublicDossierView | null> {
  const dossier = await verifiedDossier(ctx, code, key, 'page');
  if (!dossier) return null;
  if (dossier.ratingLevel) throw new ConflictError(vi.lookup.rating.already, 'already_rated');
  if (dossier.status !== 'returned')
    throw new ConflictError(vi.lookup.rating.notYet, 'not_returned');
  const chosen = RATING_LEVELS.find((l) => l === level);
  const text = typeof comment === 'string' ? comment.normalize('NFC').trim() : '';
  const fields: Record<string, string> = {};
  if (!chosen) fields.level = vi.lookup.rating.levelRequired;
  if (text.length > 500) fields.comment = vi.dossiers.errors.tooLong(500);
  if (!chosen || Object.keys(fields).length) throw new ValidationError(fields);
  const inserted = await insertRating(ctx.db, {
    dossier_id: dossier.id,
    level: chosen,
    comment: text,
    at: ctx.clock.now().toISOString(),
  });
  if (!inserted) throw new ConflictError(vi.lookup.rating.already, 'already_rated');
  return publicView(ctx, { ...dossier, ratingLevel: chosen });
}

/** The public view after a failed rating (to show the form again), without counting a lookup. */
export async function viewForRatingForm(
  ctx: AppContext,
  code: string,
  key: string,
): Promise<PublicDossierView | null> {
  const dossier = await findDossierForCitizen(ctx, code);
  if (
    !dossier?.lookup_key_hash ||
    !lookupKeyMatches(ctx.config.lookupKeySecret, dossier.code!, key, dossier.lookup_key_hash)
  )
    return null;
  return publicView(ctx, dossier);
}

/** Retention: how many lookup counts are older than the cut-off, and dropping them. */
export const lookupEventsBefore = (ctx: AppContext, beforeIso: string) =>
  countLookupEventsBefore(ctx.db, beforeIso);
export const dropLookupEventsBefore = (ctx: AppContext, beforeIso: string) =>
  deleteLookupEventsBefore(ctx.db, beforeIso);
