import type { Db } from '../../db/database.js';

/**
 * The queue tickets a dossier's record shows: a read model over the queue's tables (the queue
 * owns and writes them; the dossier only stores the ticket's id), so the dossier feature needs
 * nothing of the queue's code.
 */

/** The ticket the dossier was received from, with its service group and counter. */
export async function findTicketOfDossier(db: Db, ticketId: number) {
  return db
    .selectFrom('tickets')
    .innerJoin('service_groups', 'service_groups.id', 'tickets.group_id')
    .leftJoin('counters', 'counters.id', 'tickets.counter_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.issued_at',
      'tickets.called_at',
      'tickets.serving_at',
      'tickets.finished_at',
      'service_groups.code as groupCode',
      'service_groups.name as groupName',
      'counters.name as counterName',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}

/** The result pickup tickets that named the dossier (the citizen gave its code at the kiosk). */
export async function findReturnTicketsOfDossier(db: Db, dossierId: number) {
  return db
    .selectFrom('tickets')
    .select(['id', 'number', 'state', 'issued_at', 'called_at', 'finished_at'])
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}
