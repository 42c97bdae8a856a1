import { inTransaction } from '../db/transactions.js';
import { recordAudit } from '../audit/audit.service.js';
import type { AppContext, Deps } from '../context.js';
import type { Db } from '../db/database.js';
import type { OfficeRow } from '../db/schema.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import { codeDay, formatDossierCode, parseDossierCode, reportGroupOf } from '../dossiers/index.js';
import * as dossiers from '../dossiers/archive/index.js';
import { ValidationError } from '../errors.js';
import { catalogForImport } from '../procedures/procedures.service.js';
import { foldVietnamese } from '../lib/fold.js';
import { vi } from '../locale/vi.js';
import { readSheetIsolated, SheetReadError } from './sheet-reader.js';
import {
  checkImportRow,
  matchHeadings,
  type CellValue,
  type ImportedDossier,
  type ImportField,
  type RowRules,
} from './tracking-book-row.js';
import * as repo from './imports.repository.js';
import {
  fileSha256,
  isClean,
  type ImportActor,
  type ImportFile,
  type ImportReport,
} from './import-report.js';

export {
  isClean,
  type ImportActor,
  type ImportFile,
  type ImportReport,
  type RowProblem,
} from './import-report.js';

const m = vi.imports.errors;

/** Rows checked against the database (and inserted) together. */
const BATCH = 400;
/** Bad rows listed in a report; all are counted. */
export const MAX_LISTED_ERRORS = 1000;

/** The import runs so far, newest first (the import page lists them). */
export const importRuns = (deps: Deps<'db'>) => repo.findImportRuns(deps.db);
/** A receipt written without a time of day is taken as received when the office opens. */
const OPENING_TIME = '07:30';

/** Thrown inside the transaction to undo an import whose file turned out to have bad rows. */
class RollBack extends Error {}

interface PendingRow {
  row: number;
  dossier: ImportedDossier;
}

/**
 * Reads the file once, checking every row with the intake rules, against the other rows and
 * against the database. With `insert`, new rows are written as they pass, inside the caller's
 * transaction; the caller rolls back when the report is not clean, so it is all rows or none.
 */
async function scan(
  ctx: AppContext,
  db: Db,
  file: ImportFile,
  office: OfficeRow,
  rules: RowRules,
  insert: ((rows: PendingRow[]) => Promise<void>) | null,
): Promise<Omit<ImportReport, 'fileSha256' | 'imported' | 'importId'>> {
  const report: Omit<ImportReport, 'fileSha256' | 'imported' | 'importId'> = {
    fileName: file.name,
    office: { id: office.id, code: office.code, name: office.name },
    rows: 0,
    newRows: 0,
    alreadyImported: 0,
    errors: [],
    errorRows: 0,
    provisionalRows: [],
    provisionalCount: 0,
    fileErrors: [],
  };
  const problem = (row: number, messages: string[]) => {
    report.errorRows += 1;
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ row, messages });
  };
  const codeRows = new Map<string, number>();
  const keyRows = new Map<string, number>();
  let pending: PendingRow[] = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    const codes = batch.flatMap((p) => (p.dossier.code ? [p.dossier.code] : []));
    const existingCodes = new Map(
      (await dossiers.dossiersWithCodes(db, codes)).map((d) => [d.code!, d.import_key]),
    );
    const importedKeys = await dossiers.importedKeys(
      db,
      batch.map((p) => p.dossier.importKey),
    );
    const fresh: PendingRow[] = [];
    for (const p of batch) {
      const { code, importKey } = p.dossier;
      if (importedKeys.has(importKey)) report.alreadyImported += 1;
      else if (code && existingCodes.has(code)) problem(p.row, [m.codeExists]);
      else {
        report.newRows += 1;
        fresh.push(p);
      }
    }
    // Once a row is bad nothing more is written: the transaction will be rolled back anyway.
    if (insert && report.errorRows === 0 && fresh.length > 0) await insert(fresh);
  };

  let columns: Map<ImportField, number> | null = null;
  let sawUndecodable = false;
  let writing = false; // an error while writing is the database's, not the file's
  try {
    const limits = {
      memoryMb: ctx.config.importWorkerMemoryMb,
      timeoutMs: ctx.config.importWorkerTimeoutMs,
      maxUnpackedBytes: ctx.config.importMaxUnpackedBytes,
    };
    for await (const { rowNumber, cells } of readSheetIsolated(file.path, limits)) {
      if (!columns) {
        columns = matchHeadings(cells);
        if (!columns && cells.some((c) => typeof c === 'string' && c.includes('\uFFFD')))
          sawUndecodable = true;
        continue;
      }
      if (cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue;
      report.rows += 1;
      const values: Partial<Record<ImportField, CellValue>> = {};
      for (const [field, index] of columns) values[field] = cells[index] ?? null;
      const checked = checkImportRow(values, rules);
      if (!checked.ok) {
        problem(rowNumber, checked.errors);
        continue;
      }
      if (checked.dossier.provisionalDue) {
        report.provisionalCount += 1;
        if (report.provisionalRows.length < MAX_LISTED_ERRORS)
          report.provisionalRows.push(rowNumber);
      }
      const { code, importKey } = checked.dossier;
      const sameCode = code ? codeRows.get(code) : undefined;
      const sameRow = keyRows.get(importKey);
      if (sameRow !== undefined) {
        problem(rowNumber, [m.sameRowInFile(sameRow)]);
        continue;
      }
      if (sameCode !== undefined) {
        problem(rowNumber, [m.duplicateInFile(sameCode)]);
        continue;
      }
      if (code) codeRows.set(code, rowNumber);
      keyRows.set(importKey, rowNumber);
      pending.push({ row: rowNumber, dossier: checked.dossier });
      if (pending.length >= BATCH) {
        writing = true;
        await flush();
        writing = false;
      }
    }
    writing = true;
    if (pending.length > 0) await flush();
    writing = false;
  } catch (err) {
    if (writing) throw err;
    ctx.logger.warn({ err, file: file.name }, 'import file unreadable');
    const reason = err instanceof SheetReadError ? err.reason : 'unreadable';
    report.fileErrors.push(
      {
        too_large_unpacked: m.tooLargeUnpacked(
          Math.round(ctx.config.importMaxUnpackedBytes / 1024 / 1024),
        ),
        out_of_memory: m.tooBigToRead,
        timeout: m.tooSlowToRead(Math.round(ctx.config.importWorkerTimeoutMs / 1000)),
        unreadable: m.unreadable,
      }[reason],
    );
    return report;
  }
  if (!columns)
    report.fileErrors.push(sawUndecodable ? `${m.noHeading} ${m.notUtf8}` : m.noHeading);
  else if (report.rows === 0) report.fileErrors.push(m.emptyFile);
  return report;
}

/** The checking rules; `calendar` is read before any transaction (see MasterDataCache). */
async function rulesFor(
  ctx: AppContext,
  office: OfficeRow,
  calendar: WorkingCalendar,
): Promise<RowRules> {
  const catalog = await catalogForImport(ctx);
  return {
    procedures: new Map(catalog.map((p) => [p.code, p])),
    calendar,
    dueRules: {
      closingTime: ctx.config.officeClosingTime,
      sameDayCutoffTime: ctx.config.sameDayCutoffTime,
    },
    now: ctx.clock.now(),
    openingTime: OPENING_TIME,
    officeId: office.id,
  };
}

/** The office named by id or code. */
export async function findImportOffice(
  ctx: AppContext,
  ref: { id?: number; code?: string },
): Promise<OfficeRow> {
  const office = (await ctx.masterData.offices()).find((o) =>
    ref.id !== undefined ? o.id === ref.id : o.code === ref.code,
  );
  if (!office) throw new ValidationError({ office: m.officeUnknown });
  return office;
}

/** Step one: checks every row and reports; changes nothing. */
export async function checkTrackingBook(
  ctx: AppContext,
  file: ImportFile,
  office: OfficeRow,
): Promise<ImportReport> {
  const rules = await rulesFor(ctx, office, await ctx.masterData.calendar());
  const report = await scan(ctx, ctx.db, file, office, rules, null);
  return { ...report, fileSha256: await fileSha256(file.path), imported: null, importId: null };
}

/**
 * Step two: imports the file in one transaction when every row is good; otherwise nothing and
 * the report says why. Rows imported before are skipped, so a second import adds nothing.
 * Imported dossiers get their appointment (computed with the calendar where the file has none),
 * their outcome, a code (generated where the file has none) and an "imported" event; they have
 * no lookup key until one is issued (old receipts had none).
 */
export async function importTrackingBook(
  ctx: AppContext,
  actor: ImportActor,
  file: ImportFile,
  office: OfficeRow,
): Promise<ImportReport> {
  const sha = await fileSha256(file.path);
  // Read before the transaction: the cache loads through the connection the transaction holds.
  const calendar = await ctx.masterData.calendar();
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  // Read before the transaction too: the catalog is read through the connection it holds.
  const rules = await rulesFor(ctx, office, calendar);
  let outcome: ImportReport | null = null;
  try {
    await inTransaction(ctx.db, async (tx) => {
      const importId = await repo.insertImportRun(tx, {
        office_id: office.id,
        account_id: actor.id,
        file_name: file.name,
        file_sha256: sha,
        row_count: 0,
        imported_count: 0,
        skipped_count: 0,
        at: nowIso,
      });
      const needCodes: { id: number; receivedOn: string }[] = [];
      const usedSequences = new Map<string, number>();
      let inserted = 0;

      const report = await scan(ctx, tx, file, office, rules, async (rows) => {
        const ids = await dossiers.insertImportedDossiers(
          tx,
          rows.map(({ dossier: d }) => ({
            code: d.code,
            lookup_key_hash: null,
            office_id: office.id,
            procedure_id: d.procedure.id,
            procedure_code: d.procedure.code,
            procedure_name: d.procedure.name,
            report_group: reportGroupOf(d.procedure.report_group, d.vehicleKind),
            vehicle_kind: d.vehicleKind,
            vehicle_id: d.vehicleId,
            processing_days: d.procedure.processing_days,
            intake_outcome: 'accepted',
            status: d.status,
            applicant_name: d.applicantName,
            applicant_name_folded: foldVietnamese(d.applicantName),
            personal_id: d.personalId,
            phone: d.phone,
            address: d.address,
            note: d.note,
            received_at: d.receivedAt,
            received_on: d.receivedOn,
            received_by: actor.id,
            due_on: d.dueOn,
            due_at: d.dueAt,
            due_explanation: d.dueExplanation ? JSON.stringify(d.dueExplanation) : null,
            rescheduled_due_on: d.rescheduledDueOn,
            rescheduled_due_at: d.rescheduledDueAt,
            result_at: d.resultAt,
            result_on: d.resultOn,
            outcome: d.outcome,
            returned_at: d.returnedAt,
            returned_to: d.returnedTo,
            closed_at: d.closedAt,
            created_at: nowIso,
            updated_at: nowIso,
            import_id: importId,
            import_key: d.importKey,
          })),
        );
        const events = rows.map(({ row, dossier: d }) => {
          const id = ids.get(d.importKey)!;
          if (!d.code) needCodes.push({ id, receivedOn: d.receivedOn });
          else {
            const parsed = parseDossierCode(d.code);
            if (
              parsed &&
              parsed.officeCode === office.code &&
              parsed.day === codeDay(d.receivedOn)
            ) {
              usedSequences.set(
                d.receivedOn,
                Math.max(usedSequences.get(d.receivedOn) ?? 0, parsed.sequence),
              );
            }
          }
          return {
            dossierId: id,
            at: nowIso,
            actor,
            action: 'imported',
            from: null,
            to: d.status,
            note: vi.imports.eventNote(file.name, row),
            details: { file: file.name, fileSha256: sha, row, importId },
          };
        });
        await dossiers.recordFirstDossierEvents(tx, events);
        inserted += rows.length;
      });

      if (isClean(report)) {
        // Codes the file did not have: the office's daily sequence of the receipt day, after
        // every number the file itself used.
        for (const [day, sequence] of usedSequences)
          await dossiers.reserveSequenceUpTo(tx, office.id, codeDay(day), sequence);
        for (const { id, receivedOn } of needCodes) {
          const sequence = await dossiers.nextSequenceNumber(tx, office.id, codeDay(receivedOn));
          if (sequence > 9999) {
            report.fileErrors.push(m.sequenceExhausted);
            break;
          }
          await dossiers.setImportedDossierCode(
            tx,
            id,
            formatDossierCode(office.code, receivedOn, sequence),
          );
        }
      }
      outcome = {
        ...report,
        fileSha256: sha,
        imported: isClean(report) ? inserted : 0,
        importId: isClean(report) ? importId : null,
      };
      if (!isClean(report)) throw new RollBack();
      await repo.finishImportRun(tx, importId, {
        row_count: report.rows,
        imported_count: inserted,
        skipped_count: report.alreadyImported,
      });
      await recordAudit(tx, {
        at: now,
        actor: { id: actor.id, username: actor.username },
        action: 'dossiers.imported',
        subject: office.code,
        details: {
          file: file.name,
          fileSha256: sha,
          rows: report.rows,
          imported: inserted,
          alreadyImported: report.alreadyImported,
        },
      });
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  return outcome!;
}
