import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { setFlash } from '../http/view-locals.js';
import { joinLine, runTurn, tryStart } from './import-turns.js';
import { vi } from '../locale/vi.js';
import {
  checkTrackingBook,
  findImportOffice,
  importTrackingBook,
  isClean,
  type ImportReport,
  importRuns,
} from './imports.service.js';

const m = vi.imports.errors;
const CHECK_PATH = '/quan-tri/nhap-so/kiem-tra';
/** A checked file waits this long for its import step. */
const KEEP_UPLOAD_MS = 24 * 60 * 60 * 1000;

interface CheckedUpload {
  file: string;
  name: string;
  officeId: number;
  sha256: string;
  at: string;
}

/** A check or an import waiting in the installation's line of parses (import-turns.ts). */
type WaitingJob =
  | { kind: 'check'; file: string; name: string; officeId: number }
  | { kind: 'import'; uploadId: string };

declare module 'express-session' {
  interface SessionData {
    importUploads?: Record<string, CheckedUpload>;
    importTurns?: Record<string, WaitingJob>;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      importUploadError?: string;
    }
  }
}

/**
 * Parses the multipart upload of the check step. Mounted before the CSRF check (which needs the
 * form's `_csrf` field, inside the multipart body) and only for a logged-in administrator, so no
 * one else can make the server store a file. A file the route does not keep is deleted when the
 * response ends.
 */
export function importUploadParser(ctx: AppContext) {
  // Uploaded books hold citizens' personal data: only the server's user may read them.
  mkdirSync(ctx.config.importUploadDir, { recursive: true, mode: 0o700 });
  chmodSync(ctx.config.importUploadDir, 0o700);
  const upload = multer({
    storage: multer.diskStorage({
      destination: ctx.config.importUploadDir,
      filename: (_req, _file, cb) =>
        cb(null, `${Date.now()}-${randomBytes(12).toString('hex')}.upload`),
    }),
    limits: { fileSize: ctx.config.importMaxUploadBytes, files: 1, fields: 10, parts: 12 },
    defParamCharset: 'utf8',
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== CHECK_PATH || req.account?.role !== 'admin')
      return next();
    res.on('finish', () => {
      if (req.file && !res.locals.keepUpload) unlink(req.file.path).catch(() => undefined);
    });
    upload(req, res, (err?: unknown) => {
      const done = () => next();
      if (!err && req.file) {
        chmod(req.file.path, 0o600).then(done, next);
        return;
      }
      if (err) {
        req.importUploadError =
          err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE'
            ? m.fileTooLarge(Math.round(ctx.config.importMaxUploadBytes / 1024 / 1024))
            : m.unreadable;
        req.body ??= {};
      }
      done();
    });
  };
}

/** Deletes checked files nobody imported within a day. */
async function sweepOldUploads(dir: string, now: number): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.upload')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > KEEP_UPLOAD_MS) await unlink(file).catch(() => undefined);
  }
}

/** Importing an office's old tracking book (admin only): upload and check, then import. */
export function importRoutes(ctx: AppContext): Router {
  const router = Router();
  const officeOptions = async () =>
    (await ctx.masterData.offices()).map((o) => ({ id: o.id, label: `${o.name} (${o.code})` }));

  async function showForm(
    res: Response,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
  ) {
    res.render('imports/import', {
      title: vi.imports.title,
      offices: await officeOptions(),
      runs: await importRuns(ctx),
      errors,
      values,
      maxMb: Math.round(ctx.config.importMaxUploadBytes / 1024 / 1024),
    });
  }

  function showReport(res: Response, report: ImportReport, uploadId: string | null) {
    res.render('imports/import-report', {
      title: vi.imports.title,
      report,
      uploadId,
      clean: isClean(report),
    });
  }

  router.get('/quan-tri/nhap-so', requireRole('admin'), async (_req, res) => showForm(res));

  router.post(CHECK_PATH, requireRole('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const errors: Record<string, string> = {};
    const officeText = typeof body.office_id === 'string' ? body.office_id : '';
    const office = /^\d{1,9}$/.test(officeText)
      ? await findImportOffice(ctx, { id: Number(officeText) }).catch(() => null)
      : null;
    if (!officeText) errors.office_id = m.officeRequired;
    else if (!office) errors.office_id = m.officeUnknown;
    if (req.importUploadError) errors.file = req.importUploadError;
    else if (!req.file || req.file.size === 0) errors.file = m.fileRequired;
    if (Object.keys(errors).length > 0 || !office || !req.file) {
      res.status(422);
      return showForm(res, errors, { office_id: officeText });
    }
    await sweepOldUploads(ctx.config.importUploadDir, ctx.clock.now().getTime());
    const name = path.basename(req.file.originalname || 'tep-nhap').slice(0, 200);
    // The file stays until its turn has run (the check deletes it unless it is kept for import).
    res.locals.keepUpload = true;
    const job: WaitingJob = { kind: 'check', file: req.file.path, name, officeId: office.id };
    const turn = await joinLine(ctx, {
      kind: 'check',
      accountId: req.account!.id,
      officeId: office.id,
      fileName: name,
    });
    await runOrWait(req, res, turn, job);
  });

  /** Runs the job when its turn has come; otherwise the waiting page says how many are ahead. */
  async function runOrWait(req: Request, res: Response, turn: number, job: WaitingJob) {
    const r = await tryStart(ctx, turn);
    const waiting = (req.session.importTurns ??= {});
    if (!r.started) {
      if (r.gone) {
        delete waiting[turn];
        if (job.kind === 'check') await unlink(job.file).catch(() => undefined);
        res.status(410);
        return showForm(res, { file: vi.imports.wait.turnGone });
      }
      waiting[turn] = job;
      const waitUrl = `/quan-tri/nhap-so/luot/${turn}`;
      res.set('Refresh', `3; url=${waitUrl}`);
      return res
        .status(202)
        .render('imports/import-wait', { title: vi.imports.wait.title, ahead: r.ahead, waitUrl });
    }
    delete waiting[turn];
    // The answer is written once the turn is closed, so the next in line may start at once.
    const answer = await runTurn(ctx, turn, () =>
      job.kind === 'check' ? runCheck(req, job) : runImport(req, job.uploadId),
    );
    await Promise.resolve(answer(res));
  }

  type Answer = (res: Response) => Promise<void> | void;

  async function runCheck(req: Request, job: Extract<WaitingJob, { kind: 'check' }>) {
    const office = await findImportOffice(ctx, { id: job.officeId });
    const report = await checkTrackingBook(ctx, { path: job.file, name: job.name }, office);
    let uploadId: string | null = null;
    if (isClean(report) && report.newRows > 0) {
      uploadId = randomBytes(12).toString('hex');
      const uploads = req.session.importUploads ?? {};
      uploads[uploadId] = {
        file: job.file,
        name: job.name,
        officeId: office.id,
        sha256: report.fileSha256,
        at: ctx.clock.now().toISOString(),
      };
      req.session.importUploads = uploads;
    } else await unlink(job.file).catch(() => undefined);
    return (res: Response) => {
      res.status(isClean(report) ? 200 : 422);
      showReport(res, report, uploadId);
    };
  }

  async function runImport(req: Request, uploadId: string): Promise<Answer> {
    const upload = req.session.importUploads?.[uploadId];
    const stillThere = upload
      ? await stat(upload.file).then(
          () => true,
          () => false,
        )
      : false;
    if (!upload || !stillThere)
      return async (res: Response) => {
        res.status(410);
        await showForm(res, { file: m.uploadGone });
      };
    const office = await findImportOffice(ctx, { id: upload.officeId });
    const account = req.account!;
    const report = await importTrackingBook(
      ctx,
      { id: account.id, username: account.username, fullName: account.fullName },
      { path: upload.file, name: upload.name },
      office,
    );
    delete req.session.importUploads![uploadId];
    await unlink(upload.file).catch(() => undefined);
    if (isClean(report)) {
      setFlash(req, vi.imports.imported(report.imported ?? 0, report.fileName, office.name));
      return (res: Response) => {
        res.redirect(303, '/quan-tri/nhap-so');
      };
    }
    return (res: Response) => {
      res.status(422);
      showReport(res, report, null);
    };
  }

  router.post('/quan-tri/nhap-so/:upload/nhap', requireRole('admin'), async (req, res) => {
    const uploadId = String(req.params.upload);
    const upload = req.session.importUploads?.[uploadId];
    if (!upload) {
      res.status(410);
      return showForm(res, { file: m.uploadGone });
    }
    const turn = await joinLine(ctx, {
      kind: 'import',
      accountId: req.account!.id,
      officeId: upload.officeId,
      fileName: upload.name,
    });
    await runOrWait(req, res, turn, { kind: 'import', uploadId });
  });

  // The waiting page asks again (its Refresh header, or the button): this browser's turns only.
  router.get('/quan-tri/nhap-so/luot/:turn', requireRole('admin'), async (req, res) => {
    const turn = String(req.params.turn);
    const job = /^\d{1,12}$/.test(turn) ? req.session.importTurns?.[turn] : undefined;
    if (!job) {
      res.status(410);
      return showForm(res, { file: vi.imports.wait.turnGone });
    }
    await runOrWait(req, res, Number(turn), job);
  });

  return router;
}
