import type { Readable } from 'node:stream';
import type { AppContext } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { recordAccess } from '../audit/audit.service.js';
import { NotFoundError, UnavailableError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { loadAccessibleDossier } from '../dossiers/index.js';
import { FileDamagedError, FileMissingError } from './file-store.js';
import { RESULT } from './file-access.js';
import { findFileById, type FileRow } from './files.repository.js';

const m = vi.files.errors;

/** A stored file ready to be sent: verified bytes, their type, and how to name them. */
export interface FileContent {
  stream: Readable;
  contentType: string;
  size: number;
  filename: string;
  disposition: 'inline' | 'attachment';
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/**
 * Opens a file row's bytes, verified against their checksum before the first byte goes out. A
 * file deleted by retention, missing from the store or damaged is an error (logged for the last
 * two), never served.
 */
export async function openStored(
  ctx: AppContext,
  file: FileRow,
  dossierRef: string,
  disposition: 'inline' | 'attachment',
): Promise<FileContent> {
  if (!file.sha256 || !file.content_type) throw new NotFoundError();
  if (file.deleted_at) throw new NotFoundError(m.fileDeleted, 'file_deleted');
  let stream: Readable;
  try {
    stream = await ctx.fileStore.get(file.sha256);
  } catch (err) {
    if (err instanceof FileMissingError) {
      ctx.logger.error({ file: file.id, sha256: file.sha256 }, 'a stored file is missing');
      throw new NotFoundError(m.fileMissing, 'file_missing');
    }
    if (err instanceof FileDamagedError) {
      ctx.logger.error({ file: file.id, sha256: file.sha256 }, 'a stored file is damaged');
      throw new UnavailableError(m.fileDamaged, 'file_damaged');
    }
    throw err;
  }
  const part = file.component === RESULT ? 'ket-qua' : `giay-to-${file.component}`;
  const safeRef = dossierRef.replace(/[^A-Za-z0-9.-]/g, '_');
  return {
    stream,
    contentType: file.content_type,
    size: file.size ?? 0,
    filename: `${safeRef}-${part}-${file.position}.${EXTENSIONS[file.content_type] ?? 'bin'}`,
    disposition,
  };
}

/** A file of a dossier the account sees: its content, and an access event (viewed or downloaded). */
export async function openFileContent(
  ctx: AppContext,
  account: CurrentAccount,
  id: number,
  disposition: 'inline' | 'attachment',
): Promise<FileContent> {
  const file = Number.isSafeInteger(id) && id > 0 ? await findFileById(ctx.db, id) : undefined;
  if (!file || !file.stored_file_id) throw new NotFoundError(vi.errors.notFound, 'file_not_found');
  // Another office's file is "not found" exactly like a missing one.
  const dossier = await loadAccessibleDossier(ctx, account, String(file.dossier_id)).catch(() => {
    throw new NotFoundError(vi.errors.notFound, 'file_not_found');
  });
  const ref = dossier.code ?? `${dossier.id}`;
  const content = await openStored(ctx, file, ref, disposition);
  try {
    await recordAccess(
      ctx,
      account,
      disposition === 'attachment' ? 'file.downloaded' : 'file.viewed',
      dossier.code ?? `#${dossier.id}`,
      { file: file.id, component: file.component },
    );
  } catch (err) {
    content.stream.destroy(); // not logged, not served
    throw err;
  }
  return content;
}
