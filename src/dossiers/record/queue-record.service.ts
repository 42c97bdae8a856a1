import type { Deps } from '../../context.js';
import { findReturnTicketsOfDossier, findTicketOfDossier } from './tickets-read.repository.js';

const secondsBetween = (from: string | null, to: string | null): number | null =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

/** What a dossier's record shows of the ticket it came from: arrival, call, service, the wait. */
export async function ticketOfDossier(deps: Deps<'db'>, ticketId: number | null) {
  if (ticketId === null) return null;
  const t = await findTicketOfDossier(deps.db, ticketId);
  if (!t) return null;
  return {
    id: t.id,
    number: t.number,
    service_group: { code: t.groupCode, name: t.groupName },
    counter: t.counterName,
    issued_at: t.issued_at,
    called_at: t.called_at,
    serving_at: t.serving_at,
    finished_at: t.finished_at,
    waited_seconds: secondsBetween(t.issued_at, t.called_at),
  };
}

/** The result pickup tickets that named the dossier. */
export async function returnTicketsOfDossier(deps: Deps<'db'>, dossierId: number) {
  return (await findReturnTicketsOfDossier(deps.db, dossierId)).map((t) => ({
    ...t,
    waited_seconds: secondsBetween(t.issued_at, t.called_at),
  }));
}
