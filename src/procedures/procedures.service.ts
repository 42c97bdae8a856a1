import type { AppContext, Deps } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { changeMasterData } from '../master-data.js';
import { parseInput } from '../validation.js';
import { documentSchema, procedureSchema } from './procedures.forms.js';
import * as repo from './procedures.repository.js';

export type { ProcedureWithDocuments } from './procedures.repository.js';

/**
 * The procedure catalog: what intake, the import and reports read, and its administration.
 * Dossiers keep their own snapshot of procedure and due dates, so nothing here moves a date
 * already promised.
 */

export const activeProcedures = (ctx: Deps<'db'>) => repo.findActiveProcedures(ctx.db);
/** A procedure with its checklist, fresh from the database (the cached one is `ctx.masterData.procedure`). */
export const procedureByCode = (ctx: Deps<'db'>, code: string) =>
  repo.findProcedureByCode(ctx.db, code);
export const catalogForImport = (ctx: Deps<'db'>) => repo.findCatalogForImport(ctx.db);
export const procedureNames = (ctx: Deps<'db'>) => repo.findProcedureNames(ctx.db);
export const reportGroups = (ctx: Deps<'db'>) => repo.findReportGroups(ctx.db);
export const listProcedures = (ctx: AppContext) => repo.findProcedures(ctx.db);
export const procedureById = (ctx: AppContext, id: number) => repo.findProcedure(ctx.db, id);
export const documentsOf = (ctx: AppContext, procedureId: number) =>
  repo.findDocuments(ctx.db, procedureId);

const P = vi.admin.procedure;
const D = vi.admin.document;

/** Creates (id null) or updates a procedure; audited; clears the master-data cache. */
export async function saveProcedure(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number | null,
  raw: unknown,
): Promise<number> {
  const input = parseInput(procedureSchema, raw, ['legal_basis']);
  const groups = await repo.findReportGroups(ctx.db);
  if (!groups.some((g) => g.code === input.report_group))
    throw new ValidationError({ report_group: P.reportGroupRequired });
  const same = await repo.findProcedureIdByCode(ctx.db, input.code);
  if (same && same.id !== id) throw new ValidationError({ code: P.codeTaken });
  if (id !== null && !(await repo.findProcedure(ctx.db, id))) throw new NotFoundError();
  const now = ctx.clock.now().toISOString();
  const values = {
    code: input.code,
    name: input.name,
    field: input.field,
    report_group: input.report_group,
    processing_days: input.processing_days,
    processing_note: input.processing_note,
    fee_vnd: input.fee_vnd,
    fee_note: input.fee_note,
    legal_basis: input.legal_basis,
    is_vehicle: input.is_vehicle || input.first_registration ? 1 : 0,
    first_registration: input.first_registration ? 1 : 0,
    form_set: input.form_set,
    active: input.active ? 1 : 0,
    updated_at: now,
  };
  return changeMasterData(ctx, async (tx) => {
    let procedureId = id;
    if (procedureId === null)
      procedureId = await repo.insertProcedure(tx, {
        ...values,
        position: 1000,
        source_note: 'added by an administrator',
        created_at: now,
      });
    else await repo.updateProcedure(tx, procedureId, values);
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: id === null ? 'procedure.created' : 'procedure.updated',
      subject: input.code,
      details: values,
    });
    return procedureId;
  });
}

/** Adds (documentId null) or edits a paper of a procedure's checklist. */
export async function saveDocument(
  ctx: AppContext,
  admin: CurrentAccount,
  procedureId: number,
  documentId: number | null,
  raw: unknown,
): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  const input = parseInput(documentSchema, raw);
  const values = {
    name: input.name,
    required: input.required ? 1 : 0,
    copy_kind: input.copy_kind,
    quantity: input.quantity,
    position: input.position,
  };
  const clash = (await repo.findDocuments(ctx.db, procedureId)).find(
    (d) => d.name === input.name && d.id !== documentId,
  );
  if (clash) throw new ValidationError({ name: D.nameTaken });
  await changeMasterData(ctx, async (tx) => {
    if (documentId === null)
      await repo.insertDocument(tx, { ...values, procedure_id: procedureId });
    else if (!(await repo.updateDocument(tx, procedureId, documentId, values)))
      throw new NotFoundError();
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: documentId === null ? 'procedure_document.added' : 'procedure_document.updated',
      subject: procedure.code,
      details: values,
    });
  });
}

export async function removeDocument(
  ctx: AppContext,
  admin: CurrentAccount,
  procedureId: number,
  documentId: number,
): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    // Dossiers keep their own copy of the checklist, so removing a document changes no dossier.
    if (!(await repo.deleteDocument(tx, procedureId, documentId))) throw new NotFoundError();
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'procedure_document.removed',
      subject: procedure.code,
      details: { documentId },
    });
  });
}
