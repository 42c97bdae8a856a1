import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { ComponentFileState, DossierRow } from '../db/schema.js';
import { inTransaction } from '../db/transactions.js';
import type { Tx } from '../db/database.js';
import { ConflictError, ValidationError } from '../errors.js';
import { parseTypedDate } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { hasAnyControlCharacter } from '../validation.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { attachRefusal, RESULT, type AttachRefusal } from './file-access.js';
import {
  chargeQuota,
  findComponentsOf,
  findCurrentFiles,
  findStoredFile,
  insertFileRows,
  insertStoredFile,
  nextPosition,
  quotaOf,
  replaceCurrent,
  reviveStoredFile,
  type NewFileRow,
} from './files.repository.js';
import type { SpooledFile } from './upload.js';
import { reusableFor, type ReuseCandidate } from './reuse.service.js';

const m = vi.files.errors;

export const REFUSALS: Record<AttachRefusal, string> = {
  not_accepted: m.notAccepted,
  anonymised: m.anonymised,
  result_not_now: m.resultNotNow,
  not_your_office: vi.errors.forbidden,
};

export interface Component {
  key: string;
  name: string;
}

/** The dossier and one of its components ('result', or a procedure document of its checklist). */
export async function componentOf(
  ctx: AppContext,
  dossier: DossierRow,
  key: string,
): Promise<Component> {
  if (key === RESULT) return { key, name: vi.files.resultName };
  const found = /^\d{1,9}$/.test(key)
    ? (await findComponentsOf(ctx.db, dossier.id)).find(
        (c) => String(c.procedure_document_id) === key,
      )
    : undefined;
  if (!found) throw new ValidationError({ component: m.componentUnknown }, m.componentUnknown);
  return { key, name: found.name };
}

async function writableComponent(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  key: string,
): Promise<{ dossier: DossierRow; component: Component }> {
  const dossier = await loadAccessibleDossier(ctx, account, ref);
  const component = await componentOf(ctx, dossier, key);
  const refusal = attachRefusal(account, dossier, key);
  if (refusal) throw new ConflictError(REFUSALS[refusal], refusal);
  return { dossier, component };
}

/** Whether the office may store `bytes` more, and its usage (for the message when not). */
export async function officeHasRoomFor(ctx: AppContext, officeId: number, bytes: number) {
  const row = await quotaOf(ctx.db, officeId);
  const quota = row?.quota_bytes ?? ctx.config.files.officeQuotaBytes;
  const used = row?.used_bytes ?? 0;
  return { ok: used + bytes <= quota, used, quota };
}

export interface AttachOptions {
  /** replace (default): the new files are the component's scan, the old ones its history; add: more pages. */
  mode?: unknown;
  /** The paper's own expiry ("có giá trị đến"), for reuse. */
  valid_until?: unknown;
}

/**
 * Attaches uploaded files to a component or as the result. The bytes go to the store first (so a
 * row never exists without its file), then one transaction records the stored files (the same
 * bytes stored once), charges the office's quota for new bytes, keeps the previous scan as history
 * and adds the rows.
 */
export async function attachFiles(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  key: string,
  files: SpooledFile[],
  uploadError: string | null,
  options: AttachOptions = {},
): Promise<number[]> {
  const { dossier, component } = await writableComponent(ctx, account, ref, key);
  if (uploadError) throw new ValidationError({ file: uploadError });
  if (files.length === 0) throw new ValidationError({ file: m.fileRequired });
  const refused = files.find((f) => f.rejection || !f.inspection);
  if (refused)
    throw new ValidationError({
      file: m.fileNamed(refused.originalName, m.rejected[refused.rejection ?? 'unknown_type']),
    });
  const mode = options.mode === 'add' ? 'add' : 'replace';
  const validUntil = parseValidUntil(options.valid_until);
  const current = mode === 'add' ? await findCurrentFiles(ctx.db, dossier.id, key) : [];
  const pages =
    files.reduce((sum, f) => sum + f.inspection!.pages, 0) +
    current.reduce((sum, f) => sum + f.pages, 0);
  if (pages > ctx.config.files.maxPages)
    throw new ValidationError({ file: m.tooManyPages(ctx.config.files.maxPages) });

  for (const f of files) await ctx.fileStore.put(f.path, f.sha256, f.size);

  const nowIso = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (tx) => {
    let newBytes = 0;
    let newFiles = 0;
    const storedIds: number[] = [];
    for (const f of files) {
      const existing = await findStoredFile(tx, f.sha256);
      if (existing && !existing.deleted_at) {
        storedIds.push(existing.id);
        continue;
      }
      if (existing) await reviveStoredFile(tx, existing.id, dossier.office_id, nowIso);
      storedIds.push(
        existing?.id ??
          (await insertStoredFile(tx, {
            sha256: f.sha256,
            size: f.size,
            content_type: f.inspection!.contentType,
            pages: f.inspection!.pages,
            charged_office_id: dossier.office_id,
            created_at: nowIso,
          })),
      );
      newBytes += f.size;
      newFiles++;
    }
    if (newBytes > 0) {
      const fits = await chargeQuota(
        tx,
        dossier.office_id,
        newBytes,
        newFiles,
        ctx.config.files.officeQuotaBytes,
      );
      if (!fits) {
        const usage = await quotaOf(tx, dossier.office_id);
        const quota = usage?.quota_bytes ?? ctx.config.files.officeQuotaBytes;
        throw new ValidationError({ file: m.quota(usage?.used_bytes ?? 0, quota) });
      }
    }
    if (mode === 'replace') await replaceCurrent(tx, dossier.id, key, nowIso, account.id);
    const first = mode === 'add' ? await nextPosition(tx, dossier.id, key) : 1;
    return insertFileRows(
      tx,
      files.map((f, i) =>
        row(dossier.id, component, account.id, nowIso, {
          state: 'digitised',
          stored_file_id: storedIds[i]!,
          position: first + i,
          pages: f.inspection!.pages,
          valid_until: validUntil,
        }),
      ),
    );
  });
}

function row(
  dossierId: number,
  component: Component,
  by: number,
  at: string,
  values: Partial<NewFileRow> & { state: ComponentFileState },
): NewFileRow {
  return {
    dossier_id: dossierId,
    component: component.key,
    component_name: component.name,
    stored_file_id: null,
    position: 1,
    pages: 0,
    reused_from_id: null,
    paper_reason: null,
    valid_until: null,
    created_by: by,
    created_at: at,
    ...values,
  };
}

function parseValidUntil(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const date = typeof raw === 'string' ? parseTypedDate(raw) : null;
  if (!date) throw new ValidationError({ valid_until: m.validUntil });
  return date;
}

/** "Original seen, copy kept on paper": the component is not digitised, for a stated reason. */
export async function markPaperOnly(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  key: string,
  rawReason: unknown,
): Promise<void> {
  if (key === RESULT) throw new ValidationError({ component: m.componentUnknown });
  const { dossier, component } = await writableComponent(ctx, account, ref, key);
  const reason = typeof rawReason === 'string' ? rawReason.normalize('NFC').trim() : '';
  if (!reason) throw new ValidationError({ reason: m.reasonRequired });
  if (reason.length > 300) throw new ValidationError({ reason: m.reasonTooLong });
  if (hasAnyControlCharacter(reason))
    throw new ValidationError({ reason: vi.errors.controlCharacters });
  const nowIso = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (tx) => {
    await replaceCurrent(tx, dossier.id, key, nowIso, account.id);
    await insertFileRows(tx, [
      row(dossier.id, component, account.id, nowIso, { state: 'paper_only', paper_reason: reason }),
    ]);
  });
}

/**
 * Reuses a digitised paper of the same person (from another dossier, or another dossier's
 * electronic result) for a component, without copying a byte: the new rows point at the same
 * stored files and name the rows they were taken from. The source must still be offered for this
 * component (same person, in the account's offices, same kind, still valid).
 */
export async function reuseForComponent(
  ctx: AppContext,
  account: CurrentAccount,
  ref: string,
  key: string,
  rawSource: unknown,
): Promise<{ componentName: string }> {
  if (key === RESULT) throw new ValidationError({ component: m.componentUnknown });
  const { dossier, component } = await writableComponent(ctx, account, ref, key);
  const sourceId = Number(rawSource);
  const offered = dossier.personal_id
    ? await reusableFor(ctx, account, {
        personalId: dossier.personal_id,
        documents: [{ key, name: component.name }],
        exceptDossierId: dossier.id,
        record: false,
      })
    : null;
  const source = offered?.[key]?.find((c) => c.rows.some((r) => r.id === sourceId));
  if (!source) throw new ConflictError(m.reuseGone, 'reuse_unavailable');
  const nowIso = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, (tx) =>
    writeReuse(tx, dossier.id, component, account.id, nowIso, source),
  );
  return { componentName: component.name };
}

/** In the caller's transaction: the component's files become the source's, without a copy. */
export async function writeReuse(
  tx: Tx,
  dossierId: number,
  component: Component,
  accountId: number,
  nowIso: string,
  source: ReuseCandidate,
): Promise<void> {
  const state: ComponentFileState = source.isResult ? 'reused_result' : 'reused';
  await replaceCurrent(tx, dossierId, component.key, nowIso, accountId);
  await insertFileRows(
    tx,
    source.rows.map((r, i) =>
      row(dossierId, component, accountId, nowIso, {
        state,
        stored_file_id: r.stored_file_id,
        position: i + 1,
        pages: r.pages,
        reused_from_id: r.id,
        valid_until: r.valid_until,
      }),
    ),
  );
}
