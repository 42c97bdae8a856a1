import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import type { OnlineState } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { loadEntry } from './inbox.service.js';
import {
  currentFilesOf,
  documentNames,
  dossierCodeOf,
  listInbox,
  type OnlineDossierRow,
  type OnlineFileRow,
} from './online.repository.js';
import { findStream } from './sync.repository.js';

const PAGE = 50;
const STATES: readonly OnlineState[] = ['pending', 'supplement_requested', 'accepted', 'refused'];
/** The inbox's filters: what waits for a check (the default), or everything. */
const FILTERS: Record<string, readonly OnlineState[]> = {
  pending: ['pending'],
  all: STATES,
};

/** What the API shows of an inbox entry: a whitelist. */
export function presentEntry(
  e: OnlineDossierRow & { dossier_code?: string | null },
  files?: OnlineFileRow[],
) {
  return {
    id: e.id,
    portal_code: e.portal_code,
    state: e.state,
    state_label: vi.online.state[e.state] ?? e.state,
    procedure: { code: e.procedure_code, name: e.procedure_name },
    submitted_at: e.submitted_at,
    arrived_at: e.arrived_at,
    check_due_at: e.check_due_at,
    return_channel: e.return_channel,
    applicant: {
      name: e.applicant_name,
      personal_id: e.personal_id,
      birth_date: e.birth_date,
      sex: e.sex,
      phone: e.phone,
      address: e.address,
    },
    note: e.note,
    reason: e.reason,
    decided_at: e.decided_at,
    decided_by: e.decided_by_name,
    dossier: e.dossier_id ? { id: e.dossier_id, code: e.dossier_code ?? null } : null,
    ...(files
      ? {
          files: files.map((f) => ({
            document_id: f.document_id,
            name: f.file_name,
            content_type: f.content_type,
            size: Number(f.size),
            pages: f.pages,
            sha256: f.sha256,
          })),
        }
      : {}),
  };
}

/** The office's inbox, a page of it; a check past its deadline is marked late. */
export async function inboxView(
  deps: Deps<'db' | 'clock'>,
  account: CurrentAccount,
  raw: { state?: unknown; page?: unknown },
) {
  const filter = typeof raw.state === 'string' && raw.state ? raw.state : 'pending';
  const page = raw.page === undefined || raw.page === '' ? 1 : Number(raw.page);
  const fields: Record<string, string> = {};
  if (!FILTERS[filter]) fields.state = vi.errors.invalidValue;
  if (!Number.isInteger(page) || page < 1 || page > 10_000) fields.page = vi.errors.badPage;
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const rows = await listInbox(
    deps.db,
    account.officeId,
    FILTERS[filter]!,
    PAGE + 1,
    (page - 1) * PAGE,
  );
  const nowIso = deps.clock.now().toISOString();
  return {
    filter,
    page,
    hasNext: rows.length > PAGE,
    entries: rows.slice(0, PAGE).map((r) => ({
      ...r,
      late: r.state === 'pending' && r.check_due_at < nowIso,
    })),
  };
}

/** One entry with its components (the procedure's documents and the files delivered for each). */
export async function entryView(
  deps: Deps<'db' | 'clock'>,
  account: CurrentAccount,
  rawId: string,
) {
  const entry = await loadEntry(deps, account, rawId);
  const files = await currentFilesOf(deps.db, entry.id);
  const documents = await documentNames(deps.db, entry.procedure_id);
  const components = documents
    .map((d) => ({ name: d.name, files: files.filter((f) => f.document_id === d.id) }))
    .filter((c) => c.files.length > 0);
  const stream =
    (entry.dossier_id ? await findStream(deps.db, { dossierId: entry.dossier_id }) : undefined) ??
    (await findStream(deps.db, { onlineId: entry.id }));
  const dossierCode = entry.dossier_id ? await dossierCodeOf(deps.db, entry.dossier_id) : null;
  return {
    entry: { ...entry, dossier_code: dossierCode },
    files,
    components,
    late: entry.state === 'pending' && entry.check_due_at < deps.clock.now().toISOString(),
    sync: stream ? { state: stream.state, failingSince: stream.failing_since } : null,
  };
}
