import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import { inTransaction } from '../../db/transactions.js';
import { NotFoundError } from '../../errors.js';
import { startOfLocalDayIso } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import { policyFacts } from '../handover/index.js';
import { assertAllowed, decide, PAGE_VERBS } from '../policy/index.js';
import {
  generateLookupKey,
  hashLookupKey,
  loadAccessibleDossier,
  recordDossierEvent,
  setLookupKeyHash,
  type SlipKind,
} from '../record/index.js';
import { trackingBookPosition } from './registers.repository.js';

/**
 * Reprints the receipt: the key is stored only hashed, so a reprint issues a new one and the old
 * slip's key stops working (a lost receipt can no longer be used by whoever found it). The
 * counter's alone (the policy): anyone else would cancel the citizen's key by mistake.
 */
export async function reissueLookupKey(
  deps: Deps<'db' | 'clock' | 'config' | 'masterData'>,
  account: CurrentAccount,
  code: string,
): Promise<string> {
  const dossier = await loadAccessibleDossier(deps, account, code);
  if (!dossier.code || dossier.intake_outcome !== 'accepted')
    throw new NotFoundError(vi.dossiers.errors.notFound);
  assertAllowed(decide(PAGE_VERBS.reprint_receipt, await policyFacts(deps, account, dossier)));
  const key = generateLookupKey();
  const nowIso = deps.clock.now().toISOString();
  await inTransaction(deps.db, async (tx) => {
    await setLookupKeyHash(
      tx,
      dossier.id,
      hashLookupKey(deps.config.lookupKeySecret, dossier.code!, key),
      nowIso,
    );
    await recordDossierEvent(tx, {
      dossierId: dossier.id,
      at: nowIso,
      actor: account,
      action: 'receipt.reprinted',
      from: dossier.status,
      to: dossier.status,
    });
  });
  return key;
}

/** Every print or reprint of a slip is an event on the dossier. */
export async function recordSlipPrinted(
  deps: Deps<'db' | 'clock'>,
  account: CurrentAccount,
  dossierId: number,
  status: string,
  kind: SlipKind,
): Promise<void> {
  await inTransaction(deps.db, (tx) =>
    recordDossierEvent(tx, {
      dossierId,
      at: deps.clock.now().toISOString(),
      actor: account,
      action: 'slip.printed',
      from: status,
      to: status,
      details: { slip: kind },
    }),
  );
}

/** The receipt's tracking-book reference: the book of the year (quyển số) and the row in it. */
export async function trackingBookReference(
  deps: Deps<'db'>,
  dossier: { office_id: number; received_on: string; received_at: string; id: number },
) {
  const year = dossier.received_on.slice(0, 4);
  const row = await trackingBookPosition(
    deps.db,
    dossier.office_id,
    startOfLocalDayIso(`${year}-01-01`),
    dossier.received_at,
    dossier.id,
  );
  return { book: `01/${year}`, row };
}
