import { z } from 'zod';
import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import type { DossierRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transactions.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { vi } from '../../locale/vi.js';
import { loose, parseInput } from '../../validation.js';
import { policyFacts } from '../handover/index.js';
import { checkConsent, checkEmail } from '../intake/index.js';
import { assertAllowed, decide, PAGE_VERBS } from '../policy/index.js';
import {
  findDossierById,
  loadAccessibleDossier,
  recordDossierEvent,
  updateDossierAtVersion,
} from '../record/index.js';

const consentSchema = z.object({
  version: loose.text(12),
  notify: loose.textList,
  email: loose.text(120),
});

/**
 * The citizen changes their mind at the counter: which channels may carry messages about the
 * dossier, and the e-mail address. At the version the officer saw; an event on the timeline.
 */
export async function changeConsent(
  ctx: Deps<'db' | 'clock' | 'masterData'>,
  account: CurrentAccount,
  ref: string,
  raw: unknown,
): Promise<DossierRow> {
  const input = parseInput(consentSchema, raw);
  const version = Number(input.version);
  if (!input.version || !Number.isInteger(version) || version < 1)
    throw new ValidationError({ version: vi.dossiers.errors.versionRequired });
  const dossier = await loadAccessibleDossier(ctx, account, ref);
  assertAllowed(decide(PAGE_VERBS.change_consent, await policyFacts(ctx, account, dossier)));
  const fields: Record<string, string> = {};
  const email = checkEmail(input.email, fields);
  const channels = checkConsent(input.notify, dossier.phone, email, fields);
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const nowIso = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (tx) => {
    if (
      !(await updateDossierAtVersion(tx, dossier.id, version, {
        notify_channels: channels,
        email,
        updated_at: nowIso,
      }))
    )
      throw new ConflictError(vi.dossiers.errors.stale, 'stale_version');
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action: 'notify.consent_changed',
      from: dossier.status,
      to: dossier.status,
      details: { before: dossier.notify_channels, after: channels },
    });
    return (await findDossierById(tx, dossier.id))!;
  });
}
