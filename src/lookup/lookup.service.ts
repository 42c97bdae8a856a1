import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { RatingLevel } from '../db/schema.js';
import { normalizeLookupKey } from '../dossiers/dossier-code.js';
import { hashLookupKey, type StoredDueExplanation } from '../dossiers/intake.service.js';
import { groupSkippedDays } from '../dossiers/workflow.service.js';
import { ConflictError, ValidationError } from '../http/errors.js';
import { vi } from '../locale/vi.js';
import { findDossierForLookup, findLatestSupplementRequest, insertRating } from './lookup.repository.js';

/** "Nguyễn Văn An" → "N*** V*** A***": enough for a citizen to recognise, not to identify. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => `${[...word][0] ?? ''}***`)
    .join(' ');
}

const RATING_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied', 'unsatisfied'];

/** The whole of what the public may see of a dossier (DOMAIN.md Part A §8): a whitelist. */
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
  skippedRuns: ReturnType<typeof groupSkippedDays>;
  canRate: boolean;
  rating: { level: RatingLevel; label: string } | null;
}

// Compared against when the code is unknown, so a miss costs what a wrong key costs.
const DUMMY_HASH = createHash('sha256').update('no such dossier').digest('hex');

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Normalizes what the citizen typed; codes are case-insensitive in their office part. */
export function normalizeLookupInput(code: unknown, key: unknown): { code: string; key: string } | null {
  if (typeof code !== 'string' || typeof key !== 'string') return null;
  const c = code.trim().toUpperCase();
  const k = normalizeLookupKey(key);
  if (!c || !k || c.length > 40 || k.length > 12) return null;
  return { code: c, key: k };
}

/**
 * The public view of a dossier for code + key, or null. Unknown code and wrong key take the same
 * path and give the same null. Every lookup is counted (code, time, hit or miss).
 */
export async function lookUpDossier(ctx: AppContext, code: string, key: string, channel: 'page' | 'api'): Promise<PublicDossierView | null> {
  const dossier = await findDossierForLookup(ctx.db, code);
  const expected = dossier?.lookup_key_hash ?? DUMMY_HASH;
  const hit = sameHash(hashLookupKey(dossier?.code ?? code, key), expected) && !!dossier?.lookup_key_hash;
  ctx.lookupEvents.record({ at: ctx.clock.now().toISOString(), code: code.slice(0, 40), hit, channel });
  if (!hit || !dossier) return null;

  const status = dossier.status;
  let whatToBring: string[] = [];
  let note: string | null = null;
  if (status === 'result_ready') whatToBring = [...vi.lookup.bringForPickup];
  if (status === 'supplement_requested') {
    const asked = await findLatestSupplementRequest(ctx.db, dossier.id);
    whatToBring = asked ? [asked] : [];
  }
  if (status === 'refused') note = vi.lookup.refusedNote;
  const rating = dossier.ratingLevel ? { level: dossier.ratingLevel } : null;
  const explanation = dossier.due_explanation ? (JSON.parse(dossier.due_explanation) as StoredDueExplanation) : null;
  const showOutcome = status === 'result_ready' || status === 'returned';
  return {
    code: dossier.code!,
    procedureName: dossier.procedure_name,
    maskedName: maskName(dossier.applicant_name),
    office: { name: dossier.officeName, address: dossier.officeAddress, phone: dossier.officePhone, hours: dossier.officeHours },
    receivedAt: dossier.received_at,
    dueAt: dossier.due_at,
    rescheduledDueAt: dossier.rescheduled_due_at,
    status,
    statusLabel: vi.lookup.status[status] ?? status,
    outcome: showOutcome ? dossier.outcome : null,
    outcomeLabel: showOutcome && dossier.outcome ? vi.dossiers.outcome[dossier.outcome]! : null,
    whatToBring,
    note,
    explanation,
    skippedRuns: explanation ? groupSkippedDays(explanation.skippedDays) : [],
    canRate: status === 'returned' && !rating,
    rating: rating ? { level: rating.level, label: vi.lookup.rating.levels[rating.level]! } : null,
  };
}

/** A returned dossier's one satisfaction rating. A second is refused (409). */
export async function rateDossier(ctx: AppContext, code: string, key: string, level: unknown, comment: unknown): Promise<PublicDossierView | null> {
  const view = await lookUpDossier(ctx, code, key, 'page');
  if (!view) return null;
  if (view.rating) throw new ConflictError(vi.lookup.rating.already, 'already_rated');
  if (view.status !== 'returned') throw new ConflictError(vi.lookup.rating.notYet, 'not_returned');
  const chosen = RATING_LEVELS.find((l) => l === level);
  const text = typeof comment === 'string' ? comment.normalize('NFC').trim() : '';
  const fields: Record<string, string> = {};
  if (!chosen) fields.level = vi.lookup.rating.levelRequired;
  if (text.length > 500) fields.comment = vi.dossiers.errors.tooLong(500);
  if (!chosen || Object.keys(fields).length) throw new ValidationError(fields);
  const dossier = await findDossierForLookup(ctx.db, code);
  const inserted = await insertRating(ctx.db, { dossier_id: dossier!.id, level: chosen, comment: text, at: ctx.clock.now().toISOString() });
  if (!inserted) throw new ConflictError(vi.lookup.rating.already, 'already_rated');
  return lookUpDossier(ctx, code, key, 'page');
}
