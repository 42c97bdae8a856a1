import { createHash } from 'node:crypto';
import {
  computeDueDate,
  type DueDateRules,
  type WorkingCalendar,
} from '../calendar/working-days.js';
import { normalizeMobile } from '../lib/phone.js';
import {
  canonicalPlate,
  classifyOutcome,
  type DossierStatus,
  type Outcome,
  checkPersonalId,
} from '../dossiers/index.js';
import { hasControlCharacters } from '../validation.js';
import { foldVietnamese } from '../lib/fold.js';
import {
  instantAtLocal,
  isIsoDate,
  localDateOf,
  VIETNAM_OFFSET_MINUTES,
} from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';

/**
 * One row of an old tracking book (sổ theo dõi hồ sơ), checked with the intake rules and turned
 * into what a dossier row needs. Pure: the calendar, the catalog and "now" come in as arguments.
 */

/** What a cell holds once read from CSV (text) or XLSX (text, number, date). */
export type CellValue = string | number | Date | null;

export const IMPORT_FIELDS = [
  'code',
  'procedure_code',
  'applicant_name',
  'personal_id',
  'phone',
  'address',
  'received_at',
  'due_at',
  'rescheduled_due_at',
  'result_at',
  'returned_at',
  'closed_at',
  'status',
  'outcome',
  'returned_to',
  'note',
  'vehicle_kind',
  'vehicle_id',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Column headings recognised for each field, folded (no diacritics, lower case). The first is the
 * heading of our own tracking-book export, so an export imports back as it is.
 */
export const FIELD_HEADINGS: Record<ImportField, string[]> = {
  code: ['ma ho so', 'so ho so', 'ma so ho so', 'dossier code', 'code'],
  procedure_code: ['ma thu tuc', 'ma tthc', 'procedure code', 'procedure_code'],
  applicant_name: [
    'nguoi nop',
    'ho ten',
    'ho va ten',
    'ten nguoi nop',
    'ho ten nguoi nop',
    'applicant name',
    'applicant_name',
  ],
  personal_id: [
    'so dinh danh',
    'so dinh danh ca nhan',
    'so cccd',
    'cccd',
    'so can cuoc',
    'so cmnd/cccd',
    'personal id',
    'personal_id',
  ],
  phone: ['dien thoai', 'so dien thoai', 'phone'],
  address: ['dia chi', 'address'],
  received_at: ['ngay nhan', 'ngay tiep nhan', 'thoi diem tiep nhan', 'received at', 'received_at'],
  due_at: ['ngay hen tra', 'ngay hen', 'ngay hen tra ket qua', 'appointment date', 'due_at'],
  rescheduled_due_at: ['ngay hen lai', 'rescheduled due date', 'rescheduled_due_at'],
  result_at: ['ngay co ket qua', 'result at', 'result_at'],
  returned_at: ['ngay tra', 'ngay tra ket qua', 'returned at', 'returned_at'],
  closed_at: ['ngay ket thuc', 'closed at', 'closed_at'],
  status: ['trang thai', 'status'],
  outcome: ['ket qua', 'ket qua giai quyet', 'outcome'],
  returned_to: ['nguoi nhan ket qua', 'returned to', 'returned_to'],
  note: ['ghi chu', 'note'],
  vehicle_kind: ['loai xe', 'loai phuong tien', 'vehicle kind', 'vehicle_kind'],
  vehicle_id: ['bien so', 'bien so xe', 'bien kiem soat', 'plate', 'vehicle_id'],
};

/** Fields without which a row cannot be a dossier; the heading row must name them. */
export const REQUIRED_HEADINGS: ImportField[] = ['procedure_code', 'applicant_name', 'received_at'];

/**
 * Finds the heading row: the first row naming every required field. Returns the column of each
 * field it names, or null when this row is not the heading row.
 */
export function matchHeadings(cells: CellValue[]): Map<ImportField, number> | null {
  const byHeading = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS)
    for (const heading of FIELD_HEADINGS[field]) byHeading.set(heading, field);
  const columns = new Map<ImportField, number>();
  cells.forEach((cell, index) => {
    if (typeof cell !== 'string') return;
    const field = byHeading.get(foldVietnamese(cell).replace(/\s*\(.*\)$/, ''));
    if (field && !columns.has(field)) columns.set(field, index);
  });
  return REQUIRED_HEADINGS.every((f) => columns.has(f)) ? columns : null;
}

export interface ParsedInstant {
  iso: string;
  /** Local calendar day. */
  on: string;
  /** Written without a time of day. */
  dateOnly: boolean;
}

const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function fromWallClock(
  wallMs: number,
  dateOnly: boolean,
  defaultTime: string,
): ParsedInstant | 'invalid' {
  if (!Number.isFinite(wallMs)) return 'invalid';
  const wall = new Date(wallMs);
  const day = wall.toISOString().slice(0, 10);
  if (day < '1900-01-01' || day > '2999-12-31') return 'invalid';
  const instant = dateOnly ? instantAtLocal(day, defaultTime) : new Date(wallMs - OFFSET_MS);
  return { iso: instant.toISOString(), on: day, dateOnly };
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$/;
/** Our CSV export writes the time first: `HH:MM dd/mm/yyyy`. */
const TDMY = /^(\d{1,2})[:hH](\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YMD =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A date or date-time cell, in Vietnam's wall-clock time: `dd/mm/yyyy[ HH:MM[:SS]]`,
 * `HH:MM dd/mm/yyyy` as our CSV export writes it, ISO `yyyy-mm-dd[THH:MM[:SS][zone]]`, an XLSX date cell (Excel keeps the
 * wall-clock fields without a zone) or an Excel serial number. A date without a time gets
 * `defaultTime`. Returns null for an empty cell.
 */
export function parseInstant(
  value: CellValue,
  defaultTime: string,
): ParsedInstant | null | 'invalid' {
  if (value === null) return null;
  if (value instanceof Date) {
    const ms = value.getTime();
    const dateOnly = ms % 86_400_000 === 0;
    return fromWallClock(ms, dateOnly, defaultTime);
  }
  if (typeof value === 'number') {
    if (!(value > 1 && value < 400_000)) return 'invalid';
    const ms = EXCEL_EPOCH_MS + Math.round((value * 86_400_000) / 1000) * 1000;
    return fromWallClock(ms, Number.isInteger(value), defaultTime);
  }
  const text = value.trim();
  if (!text) return null;
  let date: string;
  let time: [string, string, string] | null = null;
  const tdmy = TDMY.exec(text);
  const dmy = tdmy ? null : DMY.exec(text);
  const ymd = tdmy || dmy ? null : YMD.exec(text);
  if (tdmy) {
    date = `${tdmy[6]}-${tdmy[5]!.padStart(2, '0')}-${tdmy[4]!.padStart(2, '0')}`;
    time = [tdmy[1]!.padStart(2, '0'), tdmy[2]!, tdmy[3] ?? '00'];
  } else if (dmy) {
    date = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
    if (dmy[4] !== undefined) time = [dmy[4].padStart(2, '0'), dmy[5]!, dmy[6] ?? '00'];
  } else if (ymd) {
    date = `${ymd[1]}-${ymd[2]}-${ymd[3]}`;
    if (ymd[4] !== undefined) time = [ymd[4], ymd[5]!, ymd[6] ?? '00'];
    if (ymd[7] && isIsoDate(date)) {
      const ms = Date.parse(text.replace(' ', 'T'));
      if (Number.isNaN(ms)) return 'invalid';
      return { iso: new Date(ms).toISOString(), on: localDateOf(new Date(ms)), dateOnly: false };
    }
  } else return 'invalid';
  if (!isIsoDate(date)) return 'invalid';
  if (time && (Number(time[0]) > 23 || Number(time[1]) > 59 || Number(time[2]) > 59))
    return 'invalid';
  const wallMs = Date.parse(`${date}T${time ? time.join(':') : '00:00:00'}.000Z`);
  return fromWallClock(wallMs, !time, defaultTime);
}

/** Vietnamese labels (as exported) and the English names, folded, to the status they mean. */
const STATUS_BY_TEXT = new Map<string, DossierStatus>();
for (const [status, label] of Object.entries(vi.dossiers.status)) {
  STATUS_BY_TEXT.set(foldVietnamese(label), status as DossierStatus);
  STATUS_BY_TEXT.set(status, status as DossierStatus);
}
for (const [text, status] of [
  ['da tra', 'returned'],
  ['da tra ket qua', 'returned'],
  ['dang xu ly', 'processing'],
  ['cho tra ket qua', 'result_ready'],
  ['tu choi', 'refused'],
  ['rut ho so', 'withdrawn'],
] as const) {
  STATUS_BY_TEXT.set(text, status);
}
const OUTCOME_BY_TEXT = new Map<string, Outcome>();
for (const [outcome, label] of Object.entries(vi.dossiers.outcome)) {
  OUTCOME_BY_TEXT.set(foldVietnamese(label), outcome as Outcome);
  OUTCOME_BY_TEXT.set(outcome, outcome as Outcome);
}
OUTCOME_BY_TEXT.set('dung han', 'on_time');
OUTCOME_BY_TEXT.set('tre han', 'late');

const NAME_RE = /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u;
const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z./_-]{2,59}$/;

export interface ImportCatalogProcedure {
  id: number;
  code: string;
  name: string;
  report_group: string;
  processing_days: number;
}

export interface RowRules {
  procedures: ReadonlyMap<string, ImportCatalogProcedure>;
  calendar: WorkingCalendar;
  dueRules: DueDateRules;
  /** Nothing may have happened after this instant. */
  now: Date;
  /** Local time given to a receipt written without a time (the office opens). */
  openingTime: string;
  officeId: number;
}

/** A row that passed every check: what the dossier row will hold. */
export interface ImportedDossier {
  code: string | null;
  procedure: ImportCatalogProcedure;
  applicantName: string;
  personalId: string;
  phone: string | null;
  address: string;
  receivedAt: string;
  receivedOn: string;
  dueAt: string;
  dueOn: string;
  /** The due-date computation, when the file had no appointment date and we computed it. */
  dueExplanation: unknown;
  /** That computation counted with projected holidays (no confirmed schedule for the year). */
  provisionalDue: boolean;
  rescheduledDueAt: string | null;
  rescheduledDueOn: string | null;
  resultAt: string | null;
  resultOn: string | null;
  outcome: Outcome | null;
  returnedAt: string | null;
  returnedTo: string | null;
  closedAt: string | null;
  status: DossierStatus;
  note: string;
  /** Ô tô, mô tô or xe máy điện (the report's vehicle categories); null when the book does not say. */
  vehicleKind: 'car' | 'motorbike' | 'e_bike' | null;
  /** The plate in its canonical form (as searched); null when the book does not say. */
  vehicleId: string | null;
  /** Identifies the row across imports of the same file (see importKey). */
  importKey: string;
}

export type RowCheck = { ok: true; dossier: ImportedDossier } | { ok: false; errors: string[] };

const m = vi.imports.errors;

function text(values: Partial<Record<ImportField, CellValue>>, field: ImportField): string {
  const v = values[field];
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  // `="035090001234"`: how our CSV export keeps leading zeros for Excel.
  const t = String(v).trim();
  return /^="[^"]*"$/.test(t) ? t.slice(2, -1) : t;
}

/**
 * The identity of an imported row: the office, the code (when the file has one), procedure,
 * applicant and receipt instant. The same row imported again has the same key.
 */
export function importKey(
  officeId: number,
  code: string | null,
  procedureCode: string,
  personalId: string,
  applicantName: string,
  receivedAt: string,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        'import.v1',
        officeId,
        code ?? '',
        procedureCode,
        personalId,
        foldVietnamese(applicantName),
        receivedAt,
      ]),
    )
    .digest('hex');
}

/** Checks one row; returns the dossier it describes, or every reason it cannot be imported. */
export function checkImportRow(
  values: Partial<Record<ImportField, CellValue>>,
  rules: RowRules,
): RowCheck {
  const errors: string[] = [];
  const nowIso = rules.now.toISOString();

  for (const field of IMPORT_FIELDS) {
    const value = text(values, field);
    if (value.length > 1000) errors.push(m.tooLong(vi.imports.fields[field]));
    else if (hasControlCharacters(value.replace(/[\r\n\t]/g, ' ')))
      errors.push(m.controlCharacters(vi.imports.fields[field]));
    else if (value.includes('\uFFFD')) errors.push(m.notUtf8);
  }
  if (errors.length > 0) return { ok: false, errors };

  const code = text(values, 'code') || null;
  if (code && !CODE_RE.test(code)) errors.push(m.codeInvalid);

  const procedureCode = text(values, 'procedure_code');
  const procedure = procedureCode ? rules.procedures.get(procedureCode) : undefined;
  if (!procedureCode) errors.push(m.procedureRequired);
  else if (!procedure) errors.push(m.procedureUnknown(procedureCode));

  const applicantName = text(values, 'applicant_name').replace(/\s+/g, ' ');
  if (!applicantName) errors.push(m.nameRequired);
  else if (applicantName.length > 100 || !NAME_RE.test(applicantName)) errors.push(m.nameInvalid);

  const personalId = text(values, 'personal_id').replace(/[\s.]/g, '');
  if (!personalId) errors.push(m.personalIdRequired);
  else if (/^\d{9}$/.test(personalId)) {
    // An old 9-digit identity card (CMND): still found in history records (docs/DOMAIN.md §5).
  } else {
    const problem = checkPersonalId(personalId)[0];
    if (problem) errors.push(m.personalId[problem] ?? m.personalId.format!);
  }

  const phoneText = text(values, 'phone');
  const phone = phoneText ? normalizeMobile(phoneText) : null;
  if (phoneText && !phone) errors.push(m.phoneInvalid);

  const address = text(values, 'address').replace(/\s+/g, ' ');
  if (!address) errors.push(m.addressRequired);
  else if (address.length > 300) errors.push(m.tooLong(vi.imports.fields.address));

  const instant = (field: ImportField, defaultTime: string) => {
    const parsed = parseInstant(values[field] ?? null, defaultTime);
    if (parsed === 'invalid') {
      errors.push(m.dateInvalid(vi.imports.fields[field], text(values, field)));
      return null;
    }
    if (parsed && parsed.iso > nowIso) {
      errors.push(m.dateInFuture(vi.imports.fields[field]));
      return null;
    }
    return parsed;
  };
  const closing = rules.dueRules.closingTime;
  const received = instant('received_at', rules.openingTime);
  const dueGiven = parseInstant(values.due_at ?? null, closing); // an appointment may lie ahead
  const rescheduled = parseInstant(values.rescheduled_due_at ?? null, closing);
  const result = instant('result_at', closing);
  const returned = instant('returned_at', closing);
  const closedGiven = instant('closed_at', closing);
  if (dueGiven === 'invalid')
    errors.push(m.dateInvalid(vi.imports.fields.due_at, text(values, 'due_at')));
  if (rescheduled === 'invalid')
    errors.push(
      m.dateInvalid(vi.imports.fields.rescheduled_due_at, text(values, 'rescheduled_due_at')),
    );
  if (!values.received_at || text(values, 'received_at') === '') errors.push(m.receivedRequired);
  if (received && received.on < '2000-01-01') errors.push(m.receivedTooOld);

  const statusText = text(values, 'status');
  let status: DossierStatus | undefined;
  if (statusText) {
    status = STATUS_BY_TEXT.get(foldVietnamese(statusText));
    if (!status) errors.push(m.statusUnknown(statusText));
    else if (status === 'guided') errors.push(m.statusGuided);
  } else {
    status = returned ? 'returned' : result ? 'result_ready' : 'received';
  }
  const outcomeText = text(values, 'outcome');
  const statedOutcome = outcomeText ? OUTCOME_BY_TEXT.get(foldVietnamese(outcomeText)) : undefined;
  if (outcomeText && !statedOutcome) errors.push(m.outcomeUnknown(outcomeText));

  if (errors.length > 0 || !procedure || !received || !status) return { ok: false, errors };

  // The appointment: as written, or computed from the receipt with the calendar.
  let dueAt: string;
  let dueOn: string;
  let dueExplanation: unknown = null;
  let provisionalDue = false;
  if (dueGiven && dueGiven !== 'invalid') {
    dueAt = dueGiven.iso;
    dueOn = dueGiven.on;
    if (dueOn < received.on) errors.push(m.dueBeforeReceipt);
  } else {
    const due = computeDueDate(
      rules.calendar,
      new Date(received.iso),
      procedure.processing_days,
      rules.dueRules,
    );
    dueAt = due.dueAt.toISOString();
    dueOn = due.dueOn;
    dueExplanation = {
      receivedOn: due.receivedOn,
      processingDays: due.processingDays,
      dueOn: due.dueOn,
      dueAt,
      countedDays: due.countedDays,
      skippedDays: due.skippedDays,
      movedToNextWorkingDay: due.movedToNextWorkingDay,
      basis: 'import',
      ...(due.provisional ? { provisional: true } : {}),
    };
    provisionalDue = due.provisional;
  }
  const rescheduledOk = rescheduled && rescheduled !== 'invalid' ? rescheduled : null;
  if (rescheduledOk && rescheduledOk.on < dueOn) errors.push(m.rescheduleBeforeDue);

  if (result && result.iso < received.iso) errors.push(m.resultBeforeReceipt);
  if (returned && returned.iso < received.iso) errors.push(m.returnBeforeReceipt);
  if (returned && result && returned.iso < result.iso) errors.push(m.returnBeforeResult);
  if (closedGiven && closedGiven.iso < received.iso) errors.push(m.closedBeforeReceipt);

  // Which dates each status needs and forbids (the workflow's own rules, docs/ARCHITECTURE.md).
  const label = vi.dossiers.status[status] ?? status;
  let closedAt: string | null = null;
  switch (status) {
    case 'received':
    case 'processing':
    case 'supplement_requested':
      if (result || returned || closedGiven) errors.push(m.openWithDates(label));
      break;
    case 'result_ready':
      if (!result) errors.push(m.resultRequired(label));
      if (returned) errors.push(m.readyButReturned);
      break;
    case 'returned':
      if (!result) errors.push(m.resultRequired(label));
      if (!returned) errors.push(m.returnedRequired);
      closedAt = returned?.iso ?? null;
      break;
    case 'refused':
    case 'withdrawn':
    case 'stopped': {
      const closed = closedGiven ?? returned;
      if (!closed) errors.push(m.closedRequired(label));
      if (result && status !== 'withdrawn') errors.push(m.closedWithResult(label));
      closedAt = closed?.iso ?? null;
      break;
    }
    default:
      break;
  }
  let outcome: Outcome | null = null;
  if (result) {
    outcome = classifyOutcome(result.on, dueOn, rescheduledOk !== null);
    if (statedOutcome && statedOutcome !== outcome)
      errors.push(
        m.outcomeMismatch(vi.dossiers.outcome[statedOutcome]!, vi.dossiers.outcome[outcome]!),
      );
  } else if (statedOutcome) errors.push(m.outcomeWithoutResult);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    dossier: {
      code,
      procedure,
      applicantName,
      personalId,
      phone,
      address,
      receivedAt: received.iso,
      receivedOn: received.on,
      dueAt,
      dueOn,
      dueExplanation,
      provisionalDue,
      rescheduledDueAt: rescheduledOk?.iso ?? null,
      rescheduledDueOn: rescheduledOk?.on ?? null,
      resultAt: result?.iso ?? null,
      resultOn: result?.on ?? null,
      outcome,
      returnedAt: returned?.iso ?? null,
      returnedTo: text(values, 'returned_to') || null,
      closedAt,
      status,
      note: text(values, 'note'),
      vehicleKind: vehicleKindOf(text(values, 'vehicle_kind')),
      vehicleId: text(values, 'vehicle_id') ? canonicalPlate(text(values, 'vehicle_id')) : null,
      importKey: importKey(
        rules.officeId,
        code,
        procedure.code,
        personalId,
        applicantName,
        received.iso,
      ),
    },
  };
}

/** A vehicle kind as books write it ("Ô tô", "mô tô, xe gắn máy", "xe máy điện", or our codes). */
function vehicleKindOf(cell: string): 'car' | 'motorbike' | 'e_bike' | null {
  const folded = foldVietnamese(cell)
    .replace(/[^a-z_ ]/g, ' ')
    .trim();
  if (!folded) return null;
  if (/dien|e_bike/.test(folded)) return 'e_bike';
  // "mô tô" before "ô tô": the one contains the other.
  if (/mo to|gan may|xe may|motorbike/.test(folded)) return 'motorbike';
  if (/o to|car/.test(folded)) return 'car';
  return null;
}
