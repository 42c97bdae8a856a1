import { randomBytes, randomUUID } from 'node:crypto';
import { rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext, Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { addWorkingMinutes, workingHoursOf } from '../calendar/working-hours.js';
import { UniqueViolationError } from '../db/errors.js';
import type { OnlineState } from '../db/schema.js';
import { inTransaction } from '../db/transactions.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { attachStoredFiles } from '../files/attach.service.js';
import { notifyOnlineApplicant, notifySettingsOf } from '../notifications/notifications.service.js';
import { spoolDir } from '../files/upload.js';
import { vi } from '../locale/vi.js';
import { hasAnyControlCharacter } from '../validation.js';
import { receiveDossier } from '../dossiers/index.js';
import { checkDelivery, intakeOf, type CheckedDelivery } from './delivery.js';
import {
  currentFilesOf,
  findOnlineById,
  findOnlineByPortalCode,
  insertOnline,
  insertOnlineFiles,
  replaceOnlineFiles,
  updateOnlineFrom,
  type OnlineDossierRow,
} from './online.repository.js';
import { checkMultipartDelivery, type DeliveredPart } from './multipart.js';
import { recordOnlineChange } from './sync-outbox.js';

const m = vi.online.errors;

export interface DeliveryResult {
  entry: OnlineDossierRow;
  /** True when this portal code was delivered before with the same content: nothing new. */
  replayed: boolean;
}

/** The bytes into the file store (content-addressed, so a replay stores nothing twice). */
async function storeBytes(ctx: AppContext, checked: CheckedDelivery) {
  const dir = spoolDir(ctx);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const f of checked.files) {
    if ('path' in f.source) {
      // Spooled from a multipart part: flushed already, moved into the store (or copied).
      await ctx.fileStore.put(f.source.path, f.sha256, f.size);
      await rm(f.source.path, { force: true });
      continue;
    }
    const temp = path.join(dir, `${process.pid}-${randomBytes(12).toString('hex')}.part`);
    try {
      await writeFile(temp, f.source.bytes, { mode: 0o600, flush: true });
      await ctx.fileStore.put(temp, f.sha256, f.size);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

/**
 * A delivery from a portal (a portal-scope token's account: its office receives it). Checked
 * whole before anything is stored; idempotent on the portal's code: the same content again
 * answers the entry it made, different content is refused, except after the office asked for a
 * supplement, when it replaces the entry's files and fields and the check starts again.
 */
export async function deliverOnline(
  ctx: AppContext,
  account: CurrentAccount,
  raw: unknown,
): Promise<DeliveryResult> {
  return deliverChecked(ctx, account, await checkDelivery(ctx, raw));
}

/** A multipart delivery (its files spooled by onlineMultipartParser), taken as a JSON one is. */
export async function deliverOnlineMultipart(
  ctx: AppContext,
  account: CurrentAccount,
  body: Record<string, unknown>,
  parts: DeliveredPart[],
  readError?: { field: string; message: string },
): Promise<DeliveryResult> {
  return deliverChecked(ctx, account, await checkMultipartDelivery(ctx, body, parts, readError));
}

async function deliverChecked(
  ctx: AppContext,
  account: CurrentAccount,
  checked: CheckedDelivery,
): Promise<DeliveryResult> {
  const d = checked.delivery;
  const existing = await findOnlineByPortalCode(ctx.db, d.portal_code);
  if (existing?.delivery_hash === checked.hash) return { entry: existing, replayed: true };
  if (existing && existing.state !== 'supplement_requested')
    throw new ConflictError(m.deliveredDifferently, 'portal_code_delivered');

  await storeBytes(ctx, checked);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const office = (await ctx.masterData.offices()).find((o) => o.id === account.officeId);
  const calendar = await ctx.masterData.calendar();
  const due = addWorkingMinutes(
    calendar,
    workingHoursOf(office),
    now,
    ctx.config.online.checkHours * 60,
  ).at.toISOString();
  const fields = {
    delivery_hash: checked.hash,
    procedure_id: checked.procedure.id,
    procedure_code: checked.procedure.code,
    procedure_name: checked.procedure.name,
    submitted_at: new Date(d.submitted_at).toISOString(),
    arrived_at: nowIso,
    return_channel: checked.returnChannel,
    applicant_name: d.applicant.name,
    personal_id: d.applicant.personal_id || null,
    birth_date: d.applicant.birth_date || null,
    sex: (d.applicant.sex || null) as 'male' | 'female' | null,
    phone: d.applicant.phone || null,
    address: d.applicant.address,
    note: d.note,
    state: 'pending' as const,
    check_due_at: due,
    updated_at: nowIso,
  };
  try {
    const entry = await inTransaction(ctx.db, async (tx) => {
      let row: OnlineDossierRow;
      if (existing) {
        if (!(await updateOnlineFrom(tx, existing.id, 'supplement_requested', fields)))
          throw new ConflictError(m.deliveredDifferently, 'portal_code_delivered');
        await replaceOnlineFiles(tx, existing.id, nowIso);
        row = { ...existing, ...fields };
      } else {
        row = await insertOnline(tx, {
          ...fields,
          office_id: account.officeId,
          portal_code: d.portal_code,
          intake_token: `online:${randomUUID()}`,
          delivered_by: account.id,
          created_at: nowIso,
        });
      }
      await insertOnlineFiles(
        tx,
        checked.files.map((f) => ({
          online_dossier_id: row.id,
          document_id: f.documentId,
          file_name: f.name,
          sha256: f.sha256,
          size: f.size,
          content_type: f.inspection.contentType,
          pages: f.inspection.pages,
          position: f.position,
          created_at: nowIso,
          replaced_at: null,
        })),
      );
      return row;
    });
    return { entry, replayed: false };
  } catch (err) {
    // The same delivery twice at once: the other one made it.
    if (!(err instanceof UniqueViolationError)) throw err;
    const made = await findOnlineByPortalCode(ctx.db, d.portal_code);
    if (made?.delivery_hash !== checked.hash)
      throw new ConflictError(m.deliveredDifferently, 'portal_code_delivered');
    return { entry: made, replayed: true };
  }
}

/** An entry of the account's office, for a counter officer to check. */
export async function loadEntry(
  deps: Deps<'db'>,
  account: CurrentAccount,
  rawId: string,
): Promise<OnlineDossierRow> {
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN;
  const entry = Number.isNaN(id) ? undefined : await findOnlineById(deps.db, id);
  if (!entry || entry.office_id !== account.officeId) throw new NotFoundError(m.notFound);
  return entry;
}

function assertCounter(account: CurrentAccount): void {
  if (!account.counterDuty) throw new ForbiddenError(m.counterOnly, 'counter_only');
}

function assertPending(entry: OnlineDossierRow): void {
  if (entry.state !== 'pending') throw new ConflictError(m.alreadyDecided, 'already_decided');
}

function reasonOf(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.normalize('NFC').trim() : '';
  if (reason.length < 10 || reason.length > 1000 || hasAnyControlCharacter(reason))
    throw new ValidationError({ reason: m.reasonRequired });
  return reason;
}

/**
 * Accepts an online entry: a dossier like any other, received now through the counter's intake
 * (its code and due date by the same rules, receiving channel "trực tuyến"), with the delivered
 * files as its components' scans. Accepting again after a failure finds the same dossier (the
 * entry's intake token), so a retry never makes a second one.
 */
export async function acceptOnline(
  ctx: AppContext,
  account: CurrentAccount,
  rawId: string,
): Promise<{ entry: OnlineDossierRow; code: string }> {
  assertCounter(account);
  const entry = await loadEntry(ctx, account, rawId);
  assertPending(entry);
  const files = await currentFilesOf(ctx.db, entry.id);
  const documentIds = [...new Set(files.map((f) => f.document_id))];
  const intake = intakeOf(
    {
      procedure_code: entry.procedure_code,
      note: entry.note,
      applicant: {
        name: entry.applicant_name,
        personal_id: entry.personal_id ?? '',
        birth_date: entry.birth_date ?? '',
        sex: entry.sex ?? '',
        phone: entry.phone ?? '',
        address: entry.address,
      },
    },
    entry.return_channel,
    documentIds,
  );
  const received = await receiveDossier(ctx, account, intake, { formToken: entry.intake_token });
  const code = received.code!;
  for (const documentId of documentIds)
    await attachStoredFiles(
      ctx,
      account,
      code,
      String(documentId),
      files
        .filter((f) => f.document_id === documentId)
        .map((f) => ({
          sha256: f.sha256,
          size: Number(f.size),
          inspection: { contentType: f.content_type, pages: f.pages },
        })),
    );
  const nowIso = ctx.clock.now().toISOString();
  const patch = {
    state: 'accepted' as const,
    dossier_id: received.dossierId,
    decided_at: nowIso,
    decided_by: account.id,
    decided_by_name: account.fullName,
    updated_at: nowIso,
  };
  const moved = await inTransaction(ctx.db, (tx) =>
    updateOnlineFrom(tx, entry.id, 'pending', patch),
  );
  if (!moved) throw new ConflictError(m.alreadyDecided, 'already_decided');
  return { entry: { ...entry, ...patch }, code };
}

/**
 * Asks for a supplement or refuses: the entry's state, the portal told and the applicant's SMS
 * queued, all in the same unit.
 */
export async function decideOnline(
  deps: Deps<'db' | 'clock' | 'config' | 'masterData'>,
  account: CurrentAccount,
  rawId: string,
  decision: 'supplement' | 'refuse',
  rawReason: unknown,
): Promise<OnlineDossierRow> {
  assertCounter(account);
  const entry = await loadEntry(deps, account, rawId);
  assertPending(entry);
  const reason = reasonOf(rawReason);
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const [settings, offices] = await Promise.all([
    notifySettingsOf(deps),
    deps.masterData.offices(),
  ]);
  const office = offices.find((o) => o.id === entry.office_id);
  const to: OnlineState = decision === 'supplement' ? 'supplement_requested' : 'refused';
  const patch = {
    state: to,
    reason,
    decided_at: nowIso,
    decided_by: account.id,
    decided_by_name: account.fullName,
    updated_at: nowIso,
  };
  return inTransaction(deps.db, async (tx) => {
    if (!(await updateOnlineFrom(tx, entry.id, 'pending', patch)))
      throw new ConflictError(m.alreadyDecided, 'already_decided');
    const decided = { ...entry, ...patch };
    await recordOnlineChange(tx, decided, {
      action: decision === 'supplement' ? 'online_supplement' : 'online_refused',
      at: nowIso,
      actorName: account.fullName,
    });
    await notifyOnlineApplicant(tx, settings, {
      kind: decision === 'supplement' ? 'online_supplement' : 'online_refused',
      officeId: entry.office_id,
      phone: entry.phone,
      values: {
        ma_tren_cong: entry.portal_code,
        thu_tuc: entry.procedure_name,
        co_quan: office?.short_name ?? account.officeName,
        ly_do: reason,
      },
      at: now,
    });
    return decided;
  });
}
