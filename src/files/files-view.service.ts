import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { DossierRow } from '../db/schema.js';
import { vi } from '../locale/vi.js';
import { recordAccess } from '../audit/audit.service.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { attachRefusal, digitisationCode, RESULT } from './file-access.js';
import { findComponentsOf, findFilesOfDossier, type FileRow } from './files.repository.js';
import { reusableFor } from './reuse.service.js';

/** What the dossier page and the API show of a dossier's files. */

export const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

export interface FileView {
  id: number;
  sha256: string | null;
  size: number;
  pages: number;
  contentType: string | null;
  isImage: boolean;
  state: string;
  position: number;
  by: string;
  byId: number;
  at: string;
  deleted: boolean;
  reusedFrom: { dossierId: number; dossierCode: string | null; fileId: number } | null;
  validUntil: string | null;
  replacedAt: string | null;
}

export interface ComponentView {
  key: string;
  name: string;
  required: boolean;
  received: boolean;
  /** none, digitised, reused, reused_result, paper_only */
  state: string;
  stateLabel: string;
  /** DVCQG's TrangThaiSoHoa: 0 not digitised, 1 digitised, 2 reused, 3 reused from a result. */
  code: 0 | 1 | 2 | 3;
  files: FileView[];
  pages: number;
  size: number;
  by: string | null;
  at: string | null;
  paperReason: string | null;
  history: FileView[];
}

function fileView(r: FileRow): FileView {
  return {
    id: r.id,
    sha256: r.sha256,
    size: r.size ?? 0,
    pages: r.pages,
    contentType: r.content_type,
    isImage: r.content_type === 'image/jpeg' || r.content_type === 'image/png',
    state: r.state,
    position: r.position,
    by: r.by_name,
    byId: r.created_by,
    at: r.created_at,
    deleted: !!r.deleted_at,
    reusedFrom: r.reused_from_id
      ? {
          dossierId: r.source_dossier_id!,
          dossierCode: r.source_dossier_code,
          fileId: r.reused_from_id,
        }
      : null,
    validUntil: r.valid_until,
    replacedAt: r.replaced_at,
  };
}

function componentView(
  key: string,
  name: string,
  required: boolean,
  received: boolean,
  rows: FileRow[],
): ComponentView {
  const current = rows.filter((r) => !r.replaced_at);
  const state = current[0]?.state ?? 'none';
  const files = current.filter((r) => r.stored_file_id !== null).map(fileView);
  return {
    key,
    name,
    required,
    received,
    state,
    stateLabel: vi.files.state[state] ?? state,
    code: digitisationCode(current[0]?.state ?? null),
    files,
    pages: files.reduce((s, f) => s + f.pages, 0),
    size: files.reduce((s, f) => s + f.size, 0),
    by: current[0]?.by_name ?? null,
    at: current[0]?.created_at ?? null,
    paperReason: current[0]?.paper_reason ?? null,
    history: rows.filter((r) => r.replaced_at).map(fileView),
  };
}

/** The components of a dossier (its checklist) and its result, each with its files and state. */
export async function componentsOf(ctx: AppContext, dossier: DossierRow) {
  const [components, rows] = await Promise.all([
    findComponentsOf(ctx.db, dossier.id),
    findFilesOfDossier(ctx.db, dossier.id),
  ]);
  const byKey = new Map<string, FileRow[]>();
  for (const r of rows) byKey.set(r.component, [...(byKey.get(r.component) ?? []), r]);
  const list = components.map((c) =>
    componentView(
      String(c.procedure_document_id),
      c.name,
      !!c.required,
      !!c.received,
      byKey.get(String(c.procedure_document_id)) ?? [],
    ),
  );
  const result = componentView(RESULT, vi.files.resultName, false, false, byKey.get(RESULT) ?? []);
  return { components: list, result };
}

/**
 * The dossier page's section (views/files/_components.ejs): components and result with their
 * state and files, what this account may attach, the upload limits, and how many components have
 * a digitised paper of the same person to reuse.
 */
export async function dossierFilesView(
  ctx: AppContext,
  account: CurrentAccount,
  dossier: DossierRow,
) {
  const { components, result } = await componentsOf(ctx, dossier);
  const canAttach = attachRefusal(account, dossier, 'document') === null;
  const canAttachResult = attachRefusal(account, dossier, RESULT) === null;
  let reusable = 0;
  if (canAttach && dossier.personal_id && components.length) {
    const offered = await reusableFor(ctx, account, {
      personalId: dossier.personal_id,
      documents: components.map((c) => ({ key: c.key, name: c.name })),
      exceptDossierId: dossier.id,
      record: false, // part of the dossier page's own view (dossier.viewed)
    });
    reusable = components.filter(
      (c) => c.state !== 'reused' && (offered[c.key]?.length ?? 0) > 0,
    ).length;
  }
  return {
    ref: dossier.code ?? String(dossier.id),
    components,
    result,
    electronicResult: result.state === 'digitised' && result.files.length > 0,
    canAttach,
    canAttachResult,
    reusable,
    limits: {
      maxBytes: ctx.config.files.maxBytes,
      maxPages: ctx.config.files.maxPages,
      accept: ACCEPT,
    },
  };
}

export type DossierFilesView = Awaited<ReturnType<typeof dossierFilesView>>;

/** `GET /api/v1/dossiers/:ref/files`: the same, for a dossier the account sees. */
export async function listDossierFiles(ctx: AppContext, account: CurrentAccount, ref: string) {
  const dossier = await loadAccessibleDossier(ctx, account, ref);
  const { components, result } = await componentsOf(ctx, dossier);
  await recordAccess(ctx, account, 'dossier.viewed', dossier.code ?? `#${dossier.id}`, {
    part: 'files',
  });
  return { dossier, components, result };
}
