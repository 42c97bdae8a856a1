import { inTransaction } from '../db/transactions.js';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { anonymiseClosedBefore, countAnonymisable } from '../dossiers/archive/index.js';
import { dropLookupEventsBefore, lookupEventsBefore } from '../lookup/lookup.service.js';
import { vi } from '../locale/vi.js';
import {
  countFilesOutOfRetention,
  deleteFilesOutOfRetention,
} from '../files/files-retention.service.js';

export interface RetentionPlan {
  /** Dossiers closed before this instant lose their applicant's personal data. */
  dossiersClosedBefore: string;
  /** Citizen lookup counts before this instant are dropped. */
  lookupEventsBefore: string;
  dossiers: number;
  lookupEvents: number;
  /** Stored files whose bytes are deleted (only anonymised dossiers refer to them). */
  files: number;
  applied: boolean;
}

/**
 * Personal-data retention (docs/SECURITY.md): closed dossiers older than
 * RETENTION_CLOSED_DOSSIER_DAYS are anonymised (name, ID number, birth date, sex, phone, address,
 * plate, pick-up name and note removed; code, procedure, dates, outcome and every report count
 * stay), and citizen lookup counts older than RETENTION_LOOKUP_EVENT_DAYS are dropped. A dry run
 * (the default) only counts. Applied, it is one transaction and one audit event.
 */
export async function applyRetention(
  ctx: AppContext,
  options: { apply: boolean },
): Promise<RetentionPlan> {
  const now = ctx.clock.now();
  const day = 86_400_000;
  const dossiersClosedBefore = new Date(
    now.getTime() - ctx.config.retentionClosedDossierDays * day,
  ).toISOString();
  const lookupCutoff = new Date(
    now.getTime() - ctx.config.retentionLookupEventDays * day,
  ).toISOString();
  const plan: RetentionPlan = {
    dossiersClosedBefore,
    lookupEventsBefore: lookupCutoff,
    dossiers: await countAnonymisable(ctx.db, dossiersClosedBefore),
    lookupEvents: await lookupEventsBefore(ctx, lookupCutoff),
    files: await countFilesOutOfRetention(ctx, dossiersClosedBefore),
    applied: false,
  };
  if (!options.apply) return plan;
  await inTransaction(ctx.db, async (tx) => {
    plan.dossiers = await anonymiseClosedBefore(
      tx,
      dossiersClosedBefore,
      vi.retention.anonymisedName,
      now.toISOString(),
    );
    await recordAudit(tx, {
      at: now,
      action: 'retention.applied',
      subject: 'dossiers',
      details: { dossiersClosedBefore, dossiers: plan.dossiers, lookupEventsBefore: lookupCutoff },
    });
  });
  plan.lookupEvents = await dropLookupEventsBefore(ctx, lookupCutoff);
  plan.files = await deleteFilesOutOfRetention(ctx);
  plan.applied = true;
  return plan;
}
