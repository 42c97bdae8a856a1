import type { Deps } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { inTransaction } from '../db/transactions.js';
import { openDossierCount, transferOpenDossiers } from '../dossiers/archive/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { isClosed, listOfficesFresh, officeByIdFresh } from '../offices/offices.service.js';

const L = vi.admin.office;

/**
 * A closed office's open dossiers and their successor (docs/ARCHITECTURE.md "Features"): above
 * both the offices and the dossiers, so neither knows the other. The office page links here.
 */
export async function successionOf(deps: Deps<'db' | 'clock'>, officeId: number) {
  const office = await officeByIdFresh(deps, officeId);
  if (!office) throw new NotFoundError();
  const today = localDateOf(deps.clock.now());
  const closed = isClosed(office, today);
  const successors = closed
    ? (await listOfficesFresh(deps))
        .filter((o) => o.id !== office.id && !isClosed(o, today))
        .map((o) => [o.id, `${o.name} (${o.code})`] as [number, string])
    : [];
  return {
    office,
    closed,
    openDossiers: closed ? await openDossierCount(deps.db, office.id) : 0,
    successors,
  };
}

/**
 * Moves a closed office's open dossiers to a successor office that is open (an event each, one
 * audit event); their codes and dates do not change. Returns how many moved.
 */
export async function transferToSuccessor(
  deps: Deps<'db' | 'clock'>,
  admin: CurrentAccount,
  fromId: number,
  raw: unknown,
): Promise<number> {
  const today = localDateOf(deps.clock.now());
  const from = await officeByIdFresh(deps, fromId);
  if (!from) throw new NotFoundError();
  if (!isClosed(from, today)) throw new ValidationError({ successor_id: L.notClosed });
  const typed = (raw as Record<string, unknown> | undefined)?.successor_id;
  const successorId = typeof typed === 'string' && /^\d{1,9}$/.test(typed) ? Number(typed) : null;
  const to = successorId === null ? undefined : await officeByIdFresh(deps, successorId);
  if (!to || to.id === from.id || isClosed(to, today))
    throw new ValidationError({ successor_id: L.successorInvalid });
  const nowIso = deps.clock.now().toISOString();
  return inTransaction(deps.db, async (tx) => {
    const n = await transferOpenDossiers(tx, from, to, admin, nowIso);
    await recordAudit(tx, {
      at: deps.clock.now(),
      actor: actorOf(admin),
      action: 'office.dossiers_transferred',
      subject: from.code,
      details: { to: to.code, dossiers: n },
    });
    return n;
  });
}
