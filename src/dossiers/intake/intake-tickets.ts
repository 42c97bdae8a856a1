import type { Tx } from '../../db/database.js';

/**
 * What the intake needs of the queue when a dossier is received from a called ticket. The queue
 * implements it and the composition root (context.ts) wires it in, so the dossier feature
 * imports nothing of the queue: the queue opens the intake, the dossier only stores a ticket id.
 */
export interface IntakeTicket {
  id: number;
  number: string;
  office_id: number;
  counter_id: number | null;
  state: string;
}

export interface IntakeTickets {
  /** The ticket an intake names: the office's, called or being served (a field error otherwise). */
  forIntake(officeId: number, ticketId: number): Promise<IntakeTicket>;
  /** The intake page opened from the ticket: its number and its group's procedures. */
  context(
    officeId: number,
    ticketId: number,
  ): Promise<{ id: number; number: string; procedureIds: number[] }>;
  /** In the intake's transaction: a called ticket is now being served. */
  startServing(tx: Tx, ticket: IntakeTicket, at: Date): Promise<void>;
}
