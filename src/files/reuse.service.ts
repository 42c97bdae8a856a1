import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { recordAccess, searchDigest } from '../audit/audit.service.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { RESULT } from './file-access.js';
import { findDigitisedOfPerson, type ReuseCandidateRow } from './files.repository.js';
import { kindOf, kindOfResult, mayReuse, reusableUntil, type ReuseSource } from './reuse-rules.js';

/** A digitised paper (all its pages) that may stand in for a component. */
export interface ReuseCandidate {
  /** The first row of the source's current scan: what a reuse names. */
  sourceId: number;
  rows: ReuseCandidateRow[];
  isResult: boolean;
  dossierId: number;
  dossierCode: string | null;
  procedureName: string;
  componentName: string;
  pages: number;
  size: number;
  digitisedAt: string;
  /** Last day it may be reused; null: no end. */
  until: string | null;
}

export interface ReuseQuery {
  /** The applicant's ID number (12 digits). */
  personalId: string;
  /** The components to fill: the procedure's documents (id as text, name). */
  documents: { key: string; name: string }[];
  /** The dossier being filled (its own files are not offered to it). */
  exceptDossierId?: number;
  /** Log the look-up in the access log (a search by ID number); false when re-checking a choice. */
  record?: boolean;
}

/**
 * The person's digitised papers still valid for each of the given components (docs/DOMAIN.md
 * §10): their other dossiers' current scans and electronic results, in the offices the account
 * sees, of the same kind and still valid today. The intake form calls this with the procedure's
 * documents before the dossier exists; the dossier page with its checklist.
 */
export async function reusableFor(
  ctx: AppContext,
  account: CurrentAccount,
  query: ReuseQuery,
): Promise<Record<string, ReuseCandidate[]>> {
  const result: Record<string, ReuseCandidate[]> = Object.fromEntries(
    query.documents.map((d) => [d.key, []]),
  );
  if (!/^\d{12}$/.test(query.personalId)) return result;
  const offices = await accessibleOfficeIds(ctx, account);
  const rows = await findDigitisedOfPerson(
    ctx.db,
    query.personalId,
    offices,
    query.exceptDossierId ?? 0,
  );
  if (query.record !== false)
    await recordAccess(ctx, account, 'files.reuse_listed', 'personal_id', {
      digest: searchDigest(ctx, query.personalId),
      found: rows.length,
    });
  const today = localDateOf(ctx.clock.now());
  for (const version of groupVersions(rows)) {
    const first = version[0]!;
    const isResult = first.component === RESULT;
    const source: ReuseSource = {
      name: isResult ? null : first.component_name,
      kind: isResult ? kindOfResult(first.report_group) : kindOf(first.component_name),
      digitisedOn: localDateOf(new Date(first.created_at)),
      recordedValidUntil: first.valid_until,
    };
    const until = reusableUntil(source);
    for (const doc of query.documents) {
      if (!mayReuse(doc.name, source, today)) continue;
      result[doc.key]!.push({
        sourceId: first.id,
        rows: version,
        isResult,
        dossierId: first.dossier_id,
        dossierCode: first.dossier_code,
        procedureName: first.procedure_name,
        componentName: first.component_name,
        pages: version.reduce((s, r) => s + r.pages, 0),
        size: version.reduce((s, r) => s + r.size, 0),
        digitisedAt: first.created_at,
        until: until === 'never' ? null : until,
      });
    }
  }
  return result;
}

/** Rows of one (dossier, component) scan together, in page order; newest scans first. */
function groupVersions(rows: ReuseCandidateRow[]): ReuseCandidateRow[][] {
  const groups = new Map<string, ReuseCandidateRow[]>();
  for (const r of rows) {
    const key = `${r.dossier_id}:${r.component}`;
    const group = groups.get(key) ?? [];
    group.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.position - b.position));
}
