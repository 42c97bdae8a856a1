import type { z } from 'zod';
import { computeDueDate } from '../../calendar/working-days.js';
import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import type { DossierRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transactions.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { foldVietnamese } from '../../lib/fold.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import {
  cancelReceiptMessages,
  notifyCitizen,
  notifySettingsOf,
} from '../../notifications/notifications.service.js';
import type { ProcedureWithDocuments } from '../../procedures/procedures.service.js';
import { loose, parseInput } from '../../validation.js';
import { ACTIONS, stateAllows } from '../actions/index.js';
import {
  findStepsOf,
  openStepOf,
  policyFacts,
  replanStep,
  stepSettingFor,
} from '../handover/index.js';
import { assertAllowed, decideCorrection, refusalError } from '../policy/index.js';
import {
  findDossierById,
  findDossierDocuments,
  generateLookupKey,
  hashLookupKey,
  loadAccessibleDossier,
  recordDossierEvent,
  replaceDossierDocuments,
  reportGroupOf,
  serializeDue,
  updateDossierAtVersion,
  type StoredDueExplanation,
} from '../record/index.js';
import { intakeChanges, sideOfRow, type FieldChange } from './correction-changes.js';
import { checkIntake, type CheckedIntake } from './intake-check.js';
import { intakeInputSchema } from './intake.schemas.js';

const C = vi.correction.errors;
const m = vi.dossiers.errors;

/**
 * What the correction form and the API send: the intake's own fields for the procedure, the
 * papers and the applicant (checked by the intake's rules), the version seen and a reason.
 */
export const correctionInputSchema = intakeInputSchema
  .pick({
    procedure_code: true,
    documents: true,
    applicant_name: true,
    personal_id: true,
    birth_date: true,
    sex: true,
    phone: true,
    email: true,
    address: true,
    vehicle_kind: true,
    vehicle_id: true,
    vehicle_frame_no: true,
    vehicle_engine_no: true,
    vehicle_brand: true,
    vehicle_colour: true,
  })
  .extend({ version: loose.text(12), reason: loose.text(1000) });
export type CorrectionInput = z.output<typeof correctionInputSchema>;

export type CorrectionDeps = Deps<'db' | 'clock' | 'config' | 'masterData' | 'dossierExtensions'>;

export interface CorrectionResult {
  dossier: DossierRow;
  /** The new lookup key (plain, known only now): the old receipt's key no longer works. */
  lookupKey: string;
  changes: FieldChange[];
}

/**
 * Whether the account may correct this dossier's intake now (the action table's status, then the
 * policy's window and who): throws the refusal (409 out of the window, 403 for another officer).
 */
export async function loadCorrectable(deps: CorrectionDeps, account: CurrentAccount, ref: string) {
  const dossier = await loadAccessibleDossier(deps, account, ref);
  if (!dossier.code || dossier.intake_outcome !== 'accepted')
    throw new NotFoundError(C.notAccepted, 'dossier_not_found');
  const spec = ACTIONS.correct_intake;
  // Moved on from the reception: say so (the officer's remedies are withdraw, stop or refuse).
  if (['processing', 'supplement_requested', 'result_ready'].includes(dossier.status))
    throw refusalError('correction_handed_on');
  if (!stateAllows('correct_intake', dossier))
    throw new ConflictError(
      m.transition(vi.correction.action, vi.dossiers.status[dossier.status] ?? dossier.status),
      'invalid_transition',
    );
  const steps = await findStepsOf(deps.db, dossier.id);
  assertAllowed(decideCorrection(spec.who, await policyFacts(deps, account, dossier, steps)));
  return { dossier, steps };
}

/** The due date a procedure gives a dossier, counted from its receipt as at intake. */
export async function dueFor(
  deps: Deps<'config' | 'masterData'>,
  dossier: Pick<DossierRow, 'received_at'>,
  processingDays: number,
) {
  return computeDueDate(
    await deps.masterData.calendar(),
    new Date(dossier.received_at),
    processingDays,
    {
      closingTime: deps.config.officeClosingTime,
      sameDayCutoffTime: deps.config.sameDayCutoffTime,
    },
  );
}

/**
 * Corrects a wrong intake (docs/DECISIONS.md "Correcting an intake"): the procedure, the
 * applicant's details or the papers, with a reason, on the day of receipt and before anything
 * was handed on. One transaction: the row at the version seen (a new procedure recomputes the due
 * date from the moment of receipt, with the intake's calendar code), its papers, the reception
 * step's deadline, a new lookup key (the old receipt stops working), the citizen's new receipt
 * message, and one `correct_intake` event with each changed field's before and after.
 */
export async function correctIntake(
  deps: CorrectionDeps,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<CorrectionResult> {
  const input = parseInput(correctionInputSchema, raw ?? {}, ['address', 'reason']);
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1)
    throw new ValidationError({ version: m.versionRequired });
  const { dossier, steps } = await loadCorrectable(deps, account, ref);
  if (dossier.version !== version) throw new ConflictError(m.stale, 'stale_version');

  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const fields: Record<string, string> = {};
  const reason = input.reason.replace(/\s+/g, ' ').trim();
  if (reason.length < 10) fields.reason = C.reasonRequired;
  let checked: CheckedIntake | null = null;
  try {
    checked = await checkIntake(
      deps,
      {
        ...input,
        outcome: 'accept',
        // What this form does not change is checked as it stands (consent against phone, e-mail).
        notify: dossier.notify_channels ? dossier.notify_channels.split(',') : [],
        receiving_channel: dossier.receiving_channel,
        return_channel: dossier.return_channel,
        note: dossier.note,
      },
      localDateOf(now),
    );
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const { notify, ...rest } = err.fields;
    Object.assign(fields, rest, notify ? { phone: notify } : {});
  }
  if (Object.keys(fields).length > 0 || !checked) throw new ValidationError(fields);

  const procedure = checked.procedure;
  const papersBefore = (await findDossierDocuments(deps.db, dossier.id))
    .filter((d) => d.received === 1)
    .map((d) => d.name);
  const after = afterColumns(checked);
  const changes = intakeChanges(
    sideOfRow(dossier, papersBefore),
    sideOfRow(
      { ...after, procedure_code: procedure.code, procedure_name: procedure.name },
      procedure.documents.filter((d) => checked.receivedDocumentIds.has(d.id)).map((d) => d.name),
    ),
  );
  if (changes.length === 0) throw new ValidationError({ changes: C.nothingChanged });

  const procedureChanged = procedure.code !== dossier.procedure_code;
  const due = procedureChanged ? await dueFor(deps, dossier, procedure.processing_days) : null;
  const explanation: StoredDueExplanation | null = due
    ? {
        ...serializeDue(due, 'intake_corrected'),
        correctedFrom: {
          dueOn: dossier.due_on ?? '',
          procedureName: dossier.procedure_name,
          processingDays: dossier.processing_days,
        },
      }
    : null;
  if (due && due.dueOn !== dossier.due_on)
    changes.push({ field: 'due_on', before: dossier.due_on, after: due.dueOn });
  const lookupKey = generateLookupKey();
  // Read before the transaction: the caches read through the connection the transaction holds.
  const setting = procedureChanged
    ? await stepSettingFor(
        deps,
        {
          office_id: dossier.office_id,
          procedure_code: procedure.code,
          processing_days: procedure.processing_days,
        },
        false,
      )
    : null;
  const officeName =
    (await deps.masterData.offices()).find((o) => o.id === dossier.office_id)?.short_name ?? '';
  const notify = dossier.notify_channels ? await notifySettingsOf(deps) : null;
  const calendar = await deps.masterData.calendar();

  return inTransaction(deps.db, async (tx) => {
    const ok = await updateDossierAtVersion(tx, dossier.id, version, {
      ...after,
      applicant_name_folded: foldVietnamese(after.applicant_name),
      ...(procedureChanged
        ? {
            procedure_id: procedure.id,
            procedure_code: procedure.code,
            procedure_name: procedure.name,
            report_group: reportGroupOf(procedure.report_group, checked.vehicleKind),
            processing_days: procedure.processing_days,
            fee_vnd: procedure.fee_vnd,
            due_on: due!.dueOn,
            due_at: due!.dueAt.toISOString(),
            due_explanation: JSON.stringify(explanation),
          }
        : {}),
      lookup_key_hash: hashLookupKey(deps.config.lookupKeySecret, dossier.code!, lookupKey),
      intake_corrected_at: nowIso,
      updated_at: nowIso,
    });
    if (!ok) throw new ConflictError(m.stale, 'stale_version');
    await replaceDossierDocuments(tx, dossier.id, papersOf(dossier.id, procedure, checked));
    const corrected = (await findDossierById(tx, dossier.id))!;
    const reception = openStepOf(steps);
    if (setting && reception) await replanStep(tx, setting, corrected, reception);
    if (notify) {
      // The citizen's receipt message carried the old key (and maybe the old date): a new one.
      await cancelReceiptMessages(tx, dossier.id);
      await notifyCitizen(
        tx,
        notify,
        { kind: 'receipt', dossier: corrected, officeName, at: now, lookupKey },
        { calendar, dueOn: corrected.due_on },
      );
    }
    const details = {
      reason,
      changes,
      dueOnBefore: dossier.due_on,
      dueOnAfter: corrected.due_on,
      lookupKeyReissued: true,
    };
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action: 'correct_intake',
      from: dossier.status,
      to: dossier.status,
      note: reason,
      details,
    });
    await deps.dossierExtensions.onChange(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action: 'correct_intake',
      from: dossier.status,
      to: dossier.status,
      note: reason,
      details,
    });
    return { dossier: corrected, lookupKey, changes };
  });
}

/** The columns the checked form sets (the applicant and the vehicle). */
function afterColumns(c: CheckedIntake) {
  return {
    applicant_name: c.applicantName,
    personal_id: c.personalId,
    birth_date: c.birthDate,
    sex: c.sex,
    phone: c.phone,
    email: c.email,
    address: c.address,
    vehicle_kind: c.vehicleKind,
    vehicle_id: c.vehicleId,
    vehicle_frame_no: c.vehicle.frameNo,
    vehicle_engine_no: c.vehicle.engineNo,
    vehicle_brand: c.vehicle.brand,
    vehicle_colour: c.vehicle.colour,
  };
}

function papersOf(dossierId: number, procedure: ProcedureWithDocuments, c: CheckedIntake) {
  return procedure.documents.map((d, position) => ({
    dossier_id: dossierId,
    procedure_document_id: d.id,
    name: d.name,
    required: d.required,
    copy_kind: d.copy_kind,
    quantity: d.quantity,
    received: c.receivedDocumentIds.has(d.id) ? 1 : 0,
    position,
  }));
}
