import { rm } from 'node:fs/promises';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { AppContext, Deps } from '../context.js';
import { ValidationError } from '../errors.js';
import { PORTAL_DELIVERY_PATH } from '../http/auth.js';
import { SpoolStorage, spoolDir, type SpooledFile } from '../files/upload.js';
import { vi } from '../locale/vi.js';
import {
  checkContent,
  deliveryFieldsSchema,
  fieldErrors,
  type CheckedDelivery,
  type IncomingComponent,
} from './delivery.js';

const m = vi.online.errors;
const fm = vi.files.errors;
const PART = /^components\[(\d{1,9})\]$/;
/** At most 50 components of at most 100 files each, as the JSON schema allows; fewer in practice. */
const MAX_FILES = 500;

/** One file part of a multipart delivery, spooled (and inspected) as an upload is. */
export interface DeliveredPart extends SpooledFile {
  fieldname: string;
  mimetype: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      deliveredParts?: DeliveredPart[];
      /** Why the multipart delivery was not read whole: its part and the message. */
      deliveryError?: { field: string; message: string };
    }
  }
}

/**
 * Parses a multipart delivery (docs/API.md "Online dossiers"): a `dossier` part with the JSON
 * fields and one file part per file, named `components[<document_id>]`. Each file is streamed to
 * the upload spool through the uploads' storage engine (checksum and type checked as it streams,
 * FILES_MAX_MB enforced by the parser), never held in memory. Only for a portal-scope token: anyone
 * else is answered (401/403) before a byte is read. Spooled files are deleted when the response
 * ends; only a delivery checked whole moves them into the file store.
 */
export function onlineMultipartParser(ctx: AppContext) {
  const { maxBytes } = ctx.config.files;
  const parse = multer({
    storage: new SpoolStorage(spoolDir(ctx)),
    limits: {
      fileSize: maxBytes,
      files: MAX_FILES,
      fields: 5,
      parts: MAX_FILES + 5,
      fieldSize: 200_000,
    },
    defParamCharset: 'utf8',
  }).any();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (
      req.method !== 'POST' ||
      req.path !== PORTAL_DELIVERY_PATH ||
      !req.account ||
      req.tokenScope !== 'portal' ||
      !req.is('multipart/form-data')
    )
      return next();
    res.on('close', () => {
      for (const f of req.deliveredParts ?? [])
        void rm(f.path, { force: true }).catch(() => undefined);
    });
    parse(req, res, (err?: unknown) => {
      const files = (Array.isArray(req.files) ? req.files : []) as (Express.Multer.File &
        DeliveredPart)[];
      req.deliveredParts = files
        .filter((f) => typeof f.path === 'string' && typeof f.sha256 === 'string')
        .map((f) => ({
          path: f.path,
          originalName: f.originalName,
          size: f.size,
          sha256: f.sha256,
          inspection: f.inspection,
          rejection: f.rejection,
          fieldname: f.fieldname,
          mimetype: f.mimetype,
        }));
      req.body ??= {};
      if (!err) return next();
      const field = (err as { field?: string }).field ?? 'components';
      if (!(err instanceof multer.MulterError))
        req.deliveryError = { field: 'components', message: fm.interrupted };
      else if (err.code === 'LIMIT_FILE_SIZE')
        req.deliveryError = { field, message: fm.tooLarge(maxBytes) };
      else if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_PART_COUNT')
        req.deliveryError = { field: 'components', message: fm.tooManyFiles(MAX_FILES) };
      // Too many or too long text fields: only `dossier` is expected.
      else req.deliveryError = { field: err.field ?? 'dossier', message: vi.errors.invalidValue };
      next();
    });
  };
}

/**
 * Checks a multipart delivery as a JSON one is checked (checkContent): the `dossier` part's
 * fields, then the file parts, grouped by component in the order of their first part. Field
 * errors name the field as a JSON delivery does (`applicant.name`), a file by its part
 * (`components[12]`), and `dossier` for a missing or unreadable part.
 */
export async function checkMultipartDelivery(
  deps: Deps<'masterData' | 'config' | 'clock'>,
  body: Record<string, unknown>,
  parts: DeliveredPart[],
  readError: { field: string; message: string } | undefined,
): Promise<CheckedDelivery> {
  if (readError) throw new ValidationError({ [readError.field]: readError.message });
  if (typeof body.dossier !== 'string')
    throw new ValidationError({ dossier: m.dossierPartMissing });
  let raw: unknown;
  try {
    raw = JSON.parse(body.dossier);
  } catch {
    throw new ValidationError({ dossier: m.dossierPartInvalid });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ValidationError({ dossier: m.dossierPartInvalid });
  const parsed = deliveryFieldsSchema.safeParse(raw);
  const fields: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const components = new Map<number, IncomingComponent>();
  for (const part of parts) {
    const match = PART.exec(part.fieldname);
    if (!match) {
      fields[part.fieldname] ??= m.partUnknown;
      continue;
    }
    const documentId = Number(match[1]);
    const key = part.fieldname;
    let c = components.get(documentId);
    if (!c) components.set(documentId, (c = { documentId, docKey: key, filesKey: key, files: [] }));
    c.files.push({
      name: part.originalName.normalize('NFC').trim() || 'tep',
      declaredType: part.mimetype,
      size: part.size,
      sha256: part.sha256,
      inspection: part.inspection,
      rejection: part.rejection,
      source: { path: part.path },
      dataKey: key,
      typeKey: key,
    });
  }
  if (components.size === 0) fields.components ??= fm.fileRequired;
  if (!parsed.success) throw new ValidationError(fields);
  let checked: CheckedDelivery;
  try {
    checked = await checkContent(deps, parsed.data, [...components.values()]);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError({ ...err.fields, ...fields });
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return checked;
}
