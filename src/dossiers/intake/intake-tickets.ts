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
  ): Promise<{
    id: number;
    number: string;
    procedureIds: number[];
    /** What the citizen gave when booking, for a ticket of a booking (the form starts with it). */
    applicant: { name: string; personalId: string; phone: string } | null;
  }>;
  /** In the intake's transaction: the ticket was served by this intake (served, then done). */
  startServing(tx: Tx, ticket: IntakeTicket, at: Date): Promise<void>;
}
