import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../context.js';
import { ValidationError } from '../errors.js';
import {
  FileInspector,
  FileRejectedError,
  type Inspection,
  type Rejection,
} from '../files/file-inspector.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { checkIntake } from '../dossiers/index.js';
import { hasAnyControlCharacter } from '../validation.js';

const m = vi.online.errors;
const fm = vi.files.errors;

const text = (max: number) =>
  z
    .string({ message: vi.errors.invalidValue })
    .transform((v) => v.normalize('NFC').trim())
    .refine((v) => v.length <= max, { message: vi.errors.tooLong(max) })
    .refine((v) => !hasAnyControlCharacter(v), { message: vi.errors.controlCharacters });
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => v ?? '');

/** A delivery from a portal, as its JSON body (docs/API.md "Online dossiers"). */
export const deliverySchema = z.object({
  portal_code: z
    .string({ message: m.portalCodeInvalid })
    .regex(/^[\w.-]{1,60}$/, m.portalCodeInvalid),
  procedure_code: text(50),
  submitted_at: z.iso.datetime({ offset: true, message: m.submittedAtInvalid }),
  return_channel: z.enum(['counter', 'post', 'electronic'], { message: m.returnChannelInvalid }),
  applicant: z.object(
    {
      name: text(100),
      personal_id: optionalText(20),
      birth_date: optionalText(10),
      sex: optionalText(10),
      phone: optionalText(20),
      address: optionalText(300),
    },
    { message: vi.errors.invalidValue },
  ),
  note: optionalText(1000),
  components: z
    .array(
      z.object({
        document_id: z.number({ message: m.documentUnknown }).int().positive(),
        files: z
          .array(
            z.object({
              name: text(200).refine((v) => v.length > 0, { message: fm.fileRequired }),
              content_type: text(100),
              data_base64: z.string({ message: m.base64Invalid }),
            }),
          )
          .min(1, fm.fileRequired)
          .max(100, fm.tooManyFiles(100)),
      }),
      { message: vi.errors.invalidValue },
    )
    .min(1, fm.fileRequired)
    .max(50, vi.errors.invalidValue),
});
export type Delivery = z.output<typeof deliverySchema>;

/** The delivery's fields without its files (the `dossier` part of a multipart delivery). */
export const deliveryFieldsSchema = deliverySchema.omit({ components: true });
export type DeliveryFields = z.output<typeof deliveryFieldsSchema>;

/** One checked file of a delivery: its bytes (decoded) or its spooled file, and what they are. */
export interface DeliveredFile {
  documentId: number;
  name: string;
  size: number;
  sha256: string;
  inspection: Inspection;
  position: number;
  /** The decoded bytes of a JSON delivery, or the spooled file of a multipart one. */
  source: { bytes: Buffer } | { path: string };
}

/**
 * A file of a delivery before the checks: decoded from base64 (JSON) or spooled from its part
 * (multipart); `error` when it could not even be read, `rejection` when its bytes are refused.
 */
export interface IncomingFile {
  name: string;
  declaredType: string;
  size: number;
  sha256: string;
  inspection: Inspection | null;
  rejection: Rejection | null;
  error?: string;
  source: DeliveredFile['source'];
  /** The field keys its errors are reported under. */
  dataKey: string;
  typeKey: string;
}

/** A component as delivered, with the keys of its errors. */
export interface IncomingComponent {
  documentId: number;
  files: IncomingFile[];
  docKey: string;
  filesKey: string;
}

export interface CheckedDelivery {
  delivery: DeliveryFields;
  procedure: { id: number; code: string; name: string };
  returnChannel: 'counter' | 'post' | 'online';
  files: DeliveredFile[];
  /** The fields and the files' checksums, hashed: the same delivery again is a replay. */
  hash: string;
  /** What the counter's intake will be given when the office accepts (checked already). */
  intake: Record<string, unknown>;
}

const RETURN = { counter: 'counter', post: 'post', electronic: 'online' } as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The intake's field names as the delivery names them. */
const INTAKE_FIELDS: Record<string, string> = {
  applicant_name: 'applicant.name',
  personal_id: 'applicant.personal_id',
  birth_date: 'applicant.birth_date',
  sex: 'applicant.sex',
  phone: 'applicant.phone',
  address: 'applicant.address',
  documents: 'components',
  procedure_code: 'procedure_code',
  return_channel: 'return_channel',
  note: 'note',
};

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || '_'] ??= issue.message;
  return fields;
}

/** The intake's form as this delivery fills it (an online receipt). */
export function intakeOf(
  d: Pick<Delivery, 'procedure_code' | 'applicant' | 'note'>,
  returnChannel: string,
  documentIds: number[],
) {
  return {
    procedure_code: d.procedure_code,
    outcome: 'accept',
    documents: documentIds.map(String),
    applicant_name: d.applicant.name,
    personal_id: d.applicant.personal_id,
    birth_date: d.applicant.birth_date,
    sex: d.applicant.sex,
    phone: d.applicant.phone,
    address: d.applicant.address,
    note: d.note,
    receiving_channel: 'online',
    return_channel: returnChannel,
  };
}

/** Inspects bytes already in memory as a spooled upload is inspected while it streams. */
function inspectBytes(bytes: Buffer): Pick<IncomingFile, 'inspection' | 'rejection'> {
  const inspector = new FileInspector();
  try {
    inspector.feed(bytes);
    return { inspection: inspector.finish(), rejection: null };
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
    return { inspection: null, rejection: err.reason };
  }
}

/**
 * Checks a JSON delivery as a whole before anything is stored: its shape, then every file
 * decoded from base64 (see checkContent).
 */
export async function checkDelivery(
  deps: Deps<'masterData' | 'config' | 'clock'>,
  raw: unknown,
): Promise<CheckedDelivery> {
  const parsed = deliverySchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const { components, ...fields } = parsed.data;
  const { maxBytes } = deps.config.files;
  const incoming = components.map((c, i): IncomingComponent => ({
    documentId: c.document_id,
    docKey: `components.${i}.document_id`,
    filesKey: `components.${i}.files`,
    files: c.files.map((f, j): IncomingFile => {
      const key = `components.${i}.files.${j}`;
      const base = {
        name: f.name,
        declaredType: f.content_type,
        dataKey: `${key}.data_base64`,
        typeKey: `${key}.content_type`,
      };
      const clean = f.data_base64.replace(/\s+/g, '');
      if (clean.length % 4 !== 0 || !BASE64.test(clean))
        return { ...base, ...unread, error: m.base64Invalid };
      const bytes = Buffer.from(clean, 'base64');
      if (bytes.length > maxBytes)
        return { ...base, ...unread, error: fm.fileNamed(f.name, fm.tooLarge(maxBytes)) };
      return {
        ...base,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        ...inspectBytes(bytes),
        source: { bytes },
      };
    }),
  }));
  return checkContent(deps, fields, incoming);
}

const unread = {
  size: 0,
  sha256: '',
  inspection: null,
  rejection: null,
  source: { bytes: Buffer.alloc(0) },
} as const;

/**
 * Checks a delivery's fields and files together, before anything is stored: the procedure and
 * its documents, the applicant as the counter's intake checks them, and every file by its bytes
 * (PDF, JPEG or PNG; size and pages as for uploads). Throws one ValidationError with every field.
 * A JSON and a multipart delivery of the same content have the same hash (one is a replay of the
 * other).
 */
export async function checkContent(
  deps: Deps<'masterData' | 'config' | 'clock'>,
  d: DeliveryFields,
  components: IncomingComponent[],
): Promise<CheckedDelivery> {
  const now = deps.clock.now();
  const fields: Record<string, string> = {};
  if (Date.parse(d.submitted_at) > now.getTime() + 5 * 60_000)
    fields.submitted_at = m.submittedInFuture;

  const procedure = await deps.masterData.procedure(d.procedure_code);
  if (!procedure) throw new ValidationError({ ...fields, procedure_code: m.procedureUnknown });
  const known = new Set(procedure.documents.map((doc) => doc.id));
  const seen = new Set<number>();
  for (const c of components) {
    if (!known.has(c.documentId)) fields[c.docKey] = m.documentUnknown;
    else if (seen.has(c.documentId)) fields[c.docKey] = m.documentTwice;
    seen.add(c.documentId);
  }

  const returnChannel = RETURN[d.return_channel];
  const intake = intakeOf(d, returnChannel, [...seen]);
  try {
    await checkIntake(deps, intake, localDateOf(now));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const [k, v] of Object.entries(err.fields)) fields[INTAKE_FIELDS[k] ?? k] ??= v;
  }

  const { maxPages } = deps.config.files;
  const files: DeliveredFile[] = [];
  for (const c of components) {
    let pages = 0;
    c.files.forEach((f, j) => {
      if (f.error) {
        fields[f.dataKey] ??= f.error;
        return;
      }
      if (!f.inspection) {
        fields[f.dataKey] ??= fm.fileNamed(f.name, fm.rejected[f.rejection ?? 'unknown_type']);
        return;
      }
      const declared = f.declaredType.toLowerCase();
      if (
        declared &&
        declared !== 'application/octet-stream' &&
        declared !== f.inspection.contentType
      )
        fields[f.typeKey] ??= m.contentTypeMismatch(f.declaredType, f.inspection.contentType);
      pages += f.inspection.pages;
      files.push({
        documentId: c.documentId,
        name: f.name,
        size: f.size,
        sha256: f.sha256,
        inspection: f.inspection,
        position: j + 1,
        source: f.source,
      });
    });
    if (pages > maxPages) fields[c.filesKey] ??= fm.tooManyPages(maxPages);
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const hash = createHash('sha256')
    .update(
      JSON.stringify({
        ...d,
        components: components.map((c) => ({
          document_id: c.documentId,
          files: files.filter((f) => f.documentId === c.documentId).map((f) => [f.name, f.sha256]),
        })),
      }),
    )
    .digest('hex');
  return {
    delivery: d,
    procedure: { id: procedure.id, code: procedure.code, name: procedure.name },
    returnChannel,
    files,
    hash,
    intake,
  };
}
