import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { recordAccess, searchDigest } from '../audit/audit.service.js';
import { ValidationError } from '../errors.js';
import { foldVietnamese } from '../lib/fold.js';
import { normalizeMobile } from '../lib/phone.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { withoutControlCharacters } from '../validation.js';
import {
  findDossierByCode,
  findLatestApplicant,
  isValidFrameNumber,
  looksLikeDossierCode,
  normalizeStampedNumber,
  parseAnyPlate,
  searchDossiers,
  type DossierSearch,
} from './record/index.js';

/** The counter's search: by code, ID number, phone, plate or frame number, or name. */

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
  ctx: Deps<'db' | 'masterData'>,
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
  ctx: Deps<'db' | 'clock' | 'config' | 'masterData'>,
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

/** The last known details of an applicant, by ID number, within the offices the account sees. */
export async function findApplicant(
  ctx: Deps<'db' | 'clock' | 'config' | 'masterData'>,
  account: CurrentAccount,
  personalId: string,
) {
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
