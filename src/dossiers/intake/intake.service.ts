import { randomUUID } from 'node:crypto';
import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import { computeDueDate, type DueDate } from '../../calendar/working-days.js';
import { UniqueViolationError } from '../../db/errors.js';
import type { DossierRow } from '../../db/schema.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { foldVietnamese } from '../../lib/fold.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import {
  codeDay,
  formatDossierCode,
  generateLookupKey,
  hashLookupKey,
  recordFirstDossierEvents,
  allocateDailySequenceAndIds,
  findDossierByFormToken,
  insertDossier,
  insertDossierDocuments,
  serializeDue,
  reportGroupOf,
  type IntakeClaim,
} from '../record/index.js';
import { checkIntake } from './intake-check.js';
import { resolveStepPlan } from '../../procedures/step-plan.js';
import { openStep } from '../handover/index.js';
import { workingHoursOf } from '../../calendar/working-hours.js';
import { issueForm } from '../slips/index.js';
import { notifyCitizen, notifySettingsOf } from '../../notifications/notifications.service.js';

const m = vi.dossiers.errors;

export type IntakeOutcome = 'accept' | 'guide' | 'refuse';

export interface IntakeResult {
  dossierId: number;
  /** Null when the dossier was not accepted (guided or refused at the counter). */
  code: string | null;
  outcome: IntakeOutcome;
  /** The plain lookup key, known only now: it is stored hashed. Null for a replayed form. */
  lookupKey: string | null;
  /** True when this form had been submitted before and nothing new was created. */
  replayed: boolean;
  /** The stored row (built from what was inserted on PostgreSQL); null for a replayed form. */
  dossier: DossierRow | null;
}

/** A token that makes one intake form submittable once (double click, back button, retry). */
export function newFormToken(): string {
  return randomUUID();
}

/**
 * Records what happened at the counter for one dossier: accepted (code, lookup key, due date,
 * receipt), guided to supplement (no code, no clock) or refused (reason). One unit of work (a
 * savepoint in a group-committed transaction): the dossier, its documents and its first event are
 * saved together or not at all. A form token
 * seen before returns the dossier it created instead of creating another.
 */
export async function receiveDossier(
  ctx: Deps<
    'db' | 'clock' | 'config' | 'masterData' | 'groupCommit' | 'intakeTickets' | 'dossierExtensions'
  >,
  account: CurrentAccount,
  raw: unknown,
  options: { formToken?: string | null } = {},
): Promise<IntakeResult> {
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const formToken = options.formToken ?? null;

  if (formToken) {
    const existing = await findDossierByFormToken(ctx.db, formToken);
    if (existing) return replayed(existing);
  }

  const office = (await ctx.masterData.offices()).find((o) => o.id === account.officeId);
  if (!office || (office.valid_to && office.valid_to < today))
    throw new ForbiddenError(m.officeInactive, 'office_inactive');

  const intake = await checkIntake(ctx, raw, today);
  const { procedure } = intake;

  // Read before the transaction: the cache loads through the shared connection, which the
  // transaction holds.
  const calendar = intake.outcome === 'accept' ? await ctx.masterData.calendar() : null;
  const notify = intake.notifyChannels && calendar ? await notifySettingsOf(ctx) : null;
  const ticket =
    intake.ticketId !== null ? await ctx.intakeTickets.forIntake(office.id, intake.ticketId) : null;
  try {
    // Through group commit: intakes arriving together share one COMMIT (one fsync); the caller
    // is answered after that COMMIT.
    return await ctx.groupCommit.run(
      async (tx) => {
        // The citizen's queue ticket: its service began with this intake at the latest.
        if (ticket) await ctx.intakeTickets.startServing(tx, ticket, now);
        let code: string | null = null;
        let lookupKey: string | null = null;
        let due: DueDate | null = null;
        let lookupKeyHash: string | null = null;
        // The office's daily number is gap-free: taking it locks the office's counter row until
        // this transaction commits. With one writer (SQLite) that costs nothing. With concurrent
        // writers (PostgreSQL) every other intake of the office waits for that lock, so nothing
        // after it waits for an answer: the same statement reserves the dossier's id and its
        // event's, and the dossier, its papers, first step, event and portal rows are deferrable
        // writes, sent together in the COMMIT's round trip (db/deferred-writes.ts,
        // docs/BENCHMARKS.md).
        let eventIds: number[] | undefined;
        let reservedId: number | undefined;
        if (calendar) {
          due = computeDueDate(calendar, now, procedure.processing_days, {
            closingTime: ctx.config.officeClosingTime,
            sameDayCutoffTime: ctx.config.sameDayCutoffTime,
          });
          const { sequence, eventId, dossierId } = await allocateDailySequenceAndIds(
            tx,
            office.id,
            codeDay(today),
          );
          if (sequence > 9999) throw new ConflictError(m.sequenceExhausted, 'sequence_exhausted');
          eventIds = [eventId];
          reservedId = dossierId;
          code = formatDossierCode(office.code, today, sequence);
          lookupKey = generateLookupKey();
          lookupKeyHash = hashLookupKey(ctx.config.lookupKeySecret, code, lookupKey);
        }
        const status =
          intake.outcome === 'accept'
            ? 'received'
            : intake.outcome === 'guide'
              ? 'guided'
              : 'refused';
        const nowIso = now.toISOString();
        const dossier = await insertDossier(
          tx,
          {
            code,
            lookup_key_hash: lookupKeyHash,
            office_id: office.id,
            procedure_id: procedure.id,
            procedure_code: procedure.code,
            procedure_name: procedure.name,
            report_group: reportGroupOf(procedure.report_group, intake.vehicleKind),
            processing_days: procedure.processing_days,
            intake_outcome:
              intake.outcome === 'accept'
                ? 'accepted'
                : intake.outcome === 'guide'
                  ? 'guided'
                  : 'refused',
            status,
            applicant_name: intake.applicantName,
            applicant_name_folded: foldVietnamese(intake.applicantName),
            personal_id: intake.personalId,
            birth_date: intake.birthDate,
            sex: intake.sex,
            phone: intake.phone,
            address: intake.address,
            vehicle_kind: intake.vehicleKind,
            vehicle_id: intake.vehicleId,
            vehicle_frame_no: intake.vehicle.frameNo,
            vehicle_engine_no: intake.vehicle.engineNo,
            vehicle_brand: intake.vehicle.brand,
            vehicle_colour: intake.vehicle.colour,
            note: intake.note,
            email: intake.email,
            notify_channels: intake.notifyChannels,
            receiving_channel: intake.receivingChannel,
            return_channel: intake.returnChannel,
            fee_vnd: intake.outcome === 'accept' ? procedure.fee_vnd : null,
            received_at: nowIso,
            received_on: today,
            received_by: account.id,
            due_on: due?.dueOn ?? null,
            due_at: due?.dueAt.toISOString() ?? null,
            due_explanation: due ? JSON.stringify(serializeDue(due)) : null,
            refusal_reason: intake.refusalReason,
            closed_at: intake.outcome === 'accept' ? null : nowIso,
            form_token: formToken,
            ticket_id: ticket?.id ?? null,
            created_at: nowIso,
            updated_at: nowIso,
          },
          reservedId,
        );
        const dossierId = dossier.id;
        await insertDossierDocuments(
          tx,
          procedure.documents.map((d, position) => ({
            dossier_id: dossierId,
            procedure_document_id: d.id,
            name: d.name,
            required: d.required,
            copy_kind: d.copy_kind,
            quantity: d.quantity,
            received: intake.receivedDocumentIds.has(d.id) ? 1 : 0,
            position,
          })),
        );
        // The first step: the receiving officer holds the dossier until it is handed over. The
        // citizen gave it (no name copied: the dossier holds it, and retention removes it there).
        if (calendar && due) {
          const setting = {
            calendar,
            hours: workingHoursOf(office),
            plan: resolveStepPlan(procedure.stepPlan ?? [], procedure.processing_days),
            units: [],
          };
          await openStep(
            tx,
            setting,
            dossier,
            1,
            {
              kind: 'reception',
              unit: null,
              holder: { id: account.id, fullName: account.fullName },
              givenBy: { id: null, name: '' },
            },
            now,
          );
        }
        // The citizen's messages: the receipt now, a reminder the working day before the date.
        if (notify && calendar && due && code) {
          await notifyCitizen(
            tx,
            notify,
            { kind: 'receipt', dossier, officeName: office.short_name, at: now, lookupKey },
            { calendar, dueOn: due.dueOn },
          );
        }
        // A supplement or refusal slip at the counter takes its number from the office's register.
        if (intake.outcome !== 'accept')
          await issueForm(tx, {
            dossierId,
            officeId: office.id,
            kind: intake.outcome === 'guide' ? 'supplement' : 'refusal',
            at: now,
            by: account,
          });
        // The dossier is new: its chain starts here, with no previous event to look up.
        await recordFirstDossierEvents(
          tx,
          [
            {
              dossierId,
              at: nowIso,
              actor: account,
              action:
                intake.outcome === 'accept'
                  ? 'received'
                  : intake.outcome === 'guide'
                    ? 'guided'
                    : 'refused_at_intake',
              from: null,
              to: status,
              note: intake.refusalReason ?? intake.note,
              details: due
                ? {
                    dueOn: due.dueOn,
                    dueAt: due.dueAt.toISOString(),
                    processingDays: procedure.processing_days,
                    code,
                  }
                : {
                    missingDocuments: procedure.documents
                      .filter((d) => !intake.receivedDocumentIds.has(d.id))
                      .map((d) => d.name),
                  },
            },
          ],
          eventIds,
        );
        // What features above the dossiers write with it (the portal's sync row), in this unit.
        await ctx.dossierExtensions.onChange(tx, {
          dossierId,
          at: nowIso,
          actor: account,
          action: intake.outcome === 'accept' ? 'received' : 'not_accepted',
          from: null,
          to: status,
          after: { dossier, officeName: office.name },
        });
        return { dossierId, code, outcome: intake.outcome, lookupKey, replayed: false, dossier };
        // On PostgreSQL the office's number is the unit's first lock: intakes arriving together
        // share one transaction, taking their offices' numbers in order (db/group-commit.ts),
        // all of them in one statement before they run (the claim, reserveIntakeNumbers).
      },
      {
        lockKey: office.id,
        claim: calendar
          ? ({ officeId: office.id, day: codeDay(today) } satisfies IntakeClaim)
          : undefined,
      },
    );
  } catch (err) {
    // Two submissions of one form raced past the check above: the unique token stopped the second.
    if (formToken && err instanceof UniqueViolationError && err.isOn('dossiers.form_token')) {
      const existing = await findDossierByFormToken(ctx.db, formToken);
      if (existing) return replayed(existing);
    }
    throw err;
  }
}

function replayed(existing: {
  id: number;
  code: string | null;
  intake_outcome: string;
}): IntakeResult {
  const outcome: IntakeOutcome =
    existing.intake_outcome === 'accepted'
      ? 'accept'
      : existing.intake_outcome === 'guided'
        ? 'guide'
        : 'refuse';
  return {
    dossierId: existing.id,
    code: existing.code,
    outcome,
    lookupKey: null,
    replayed: true,
    dossier: null,
  };
}
