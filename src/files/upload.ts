import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { AppContext } from '../context.js';
import { ForbiddenError } from '../errors.js';
import { constantTimeEquals } from '../http/csrf.js';
import { vi } from '../locale/vi.js';
import {
  FileInspector,
  FileRejectedError,
  type Inspection,
  type Rejection,
} from './file-inspector.js';
import { officeHasRoomFor } from './attach.service.js';
import { loadAccessibleDossier } from '../dossiers/index.js';

/** One uploaded file, spooled to disk: its bytes' checksum and what they are (or why refused). */
export interface SpooledFile {
  path: string;
  originalName: string;
  size: number;
  sha256: string;
  inspection: Inspection | null;
  rejection: Rejection | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      spooled?: SpooledFile[];
      /** Why the upload was not received (a field error for the form or the API). */
      uploadError?: string;
    }
  }
}

const m = vi.files.errors;
/** The upload routes: the dossier page's component form and the API. */
const UPLOAD_PATHS = [
  /^\/ho-so\/([^/]{1,60})\/giay-to\/([^/]{1,20})\/tep$/,
  /^\/api\/v1\/dossiers\/([^/]{1,60})\/files$/,
];
const SPOOL_SUFFIX = '.part';

export function spoolDir(ctx: AppContext): string {
  return path.join(ctx.config.files.dir, 'tmp');
}

/**
 * Multer's storage engine for our uploads: each file is streamed to a private temporary file
 * while its SHA-256 is computed and its bytes are inspected, so nothing larger than a stream's
 * buffer is ever held in memory. The file is flushed (fsync) before it is handed on. A session's
 * request must carry its CSRF token before the first file (our forms put it first): a forged
 * upload is refused before a byte is written.
 */
export class SpoolStorage implements multer.StorageEngine {
  constructor(private readonly dir: string) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<SpooledFile>) => void,
  ): void {
    if (req.authMethod === 'session') {
      const sent = req.get('x-csrf-token') ?? (req.body as Record<string, unknown>)?._csrf;
      const expected = req.session.csrfToken;
      if (typeof sent !== 'string' || !expected || !constantTimeEquals(sent, expected)) {
        file.stream.resume();
        return cb(new ForbiddenError(vi.errors.csrf, 'csrf_failed'));
      }
    }
    const target = path.join(
      this.dir,
      `${process.pid}-${randomBytes(12).toString('hex')}${SPOOL_SUFFIX}`,
    );
    const hash = createHash('sha256');
    const inspector = new FileInspector();
    let size = 0;
    let rejection: Rejection | null = null;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        if (rejection) return done(); // refused already: nothing more is written
        try {
          inspector.feed(chunk);
        } catch (err) {
          if (!(err instanceof FileRejectedError)) return done(err as Error);
          rejection = err.reason;
          return done();
        }
        done(null, chunk);
      },
    });
    const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
    pipeline(file.stream, tap, out)
      .then(async () => {
        let inspection: Inspection | null = null;
        if (!rejection) {
          try {
            inspection = inspector.finish();
          } catch (err) {
            if (!(err instanceof FileRejectedError)) throw err;
            rejection = err.reason;
          }
        }
        const handle = await open(target, 'r');
        await handle.sync().finally(() => handle.close());
        cb(null, {
          path: target,
          size,
          sha256: hash.digest('hex'),
          inspection,
          rejection,
          originalName: (file.originalname || 'tep').slice(0, 200),
        });
      })
      .catch((err: unknown) => {
        void rm(target, { force: true })
          .catch(() => undefined)
          .then(() => cb(err));
      });
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    if (typeof file.path !== 'string') return cb(null);
    rm(file.path, { force: true }).then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }
}

/**
 * Parses the multipart body of an upload route (mounted before the CSRF check, which reads the
 * form's `_csrf` field; the storage engine checks it before writing). Only for a signed-in account
 * that may write and sees the dossier, and only while the office has room: anyone else is
 * answered before a byte is read. Files not taken into the store are deleted when the response ends.
 */
export function fileUploadParser(ctx: AppContext) {
  const dir = spoolDir(ctx);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  void sweepSpool(dir).catch((err: unknown) =>
    ctx.logger.warn({ err }, 'could not sweep the upload spool'),
  );
  const { maxBytes, maxPages } = ctx.config.files;
  const maxFiles = Math.min(maxPages, 100);
  const upload = multer({
    storage: new SpoolStorage(dir),
    limits: {
      fileSize: maxBytes,
      files: maxFiles,
      fields: 10,
      parts: maxFiles + 10,
      fieldSize: 10_000,
    },
    defParamCharset: 'utf8',
  }).array('file', maxFiles);
  // When the office has no room left: the fields (the CSRF token) are read, the files dropped.
  const fieldsOnly = multer({
    fileFilter: (_req, _file, cb) => cb(null, false),
    limits: { fields: 10, parts: maxFiles + 10, fieldSize: 10_000 },
  }).any();

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = req.method === 'POST' && UPLOAD_PATHS.map((p) => p.exec(req.path)).find(Boolean);
    if (!match || !req.account || req.tokenScope === 'kiosk' || req.tokenScope === 'read')
      return next();
    if (!req.is('multipart/form-data')) return next();
    res.on('close', () => {
      for (const f of req.spooled ?? []) void rm(f.path, { force: true }).catch(() => undefined);
    });
    try {
      const dossier = await loadAccessibleDossier(ctx, req.account, decodeURIComponent(match[1]!));
      const room = await officeHasRoomFor(ctx, dossier.office_id, 1);
      if (!room.ok) {
        fieldsOnly(req, res, () => {
          req.body ??= {};
          req.spooled = [];
          req.uploadError = m.quota(room.used, room.quota);
          next();
        });
        return;
      }
    } catch (err) {
      return next(err);
    }
    upload(req, res, (err?: unknown) => {
      const files = (Array.isArray(req.files) ? req.files : []) as (Express.Multer.File &
        SpooledFile)[];
      req.spooled = files
        .filter((f) => typeof f.path === 'string' && typeof f.sha256 === 'string')
        .map((f) => ({
          path: f.path,
          originalName: f.originalName,
          size: f.size,
          sha256: f.sha256,
          inspection: f.inspection,
          rejection: f.rejection,
        }));
      req.body ??= {};
      if (!err) return next();
      if (err instanceof ForbiddenError) return next(err);
      if (err instanceof multer.MulterError) {
        req.uploadError =
          err.code === 'LIMIT_FILE_SIZE'
            ? m.tooLarge(maxBytes)
            : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE'
              ? m.tooManyFiles(maxFiles)
              : m.notMultipart;
        return next();
      }
      // A body that breaks off (the client went away) or is not multipart after all.
      req.uploadError = m.interrupted;
      next();
    });
  };
}

/** Spooled files of processes that are gone (a crash mid-upload), or older than a day. */
export async function sweepSpool(dir: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(SPOOL_SUFFIX)) continue;
    const pid = Number(name.split('-')[0]);
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info) continue;
    if (!processAlive(pid) || now - info.mtimeMs > 86_400_000) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
