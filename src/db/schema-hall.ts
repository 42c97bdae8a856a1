import type { Generated, Selectable } from 'kysely';

/** The hall and the phone (migration 20): booking holds, an office's day of bookings, import turns. */
type IsoInstant = string;
type LocalDate = string;

/** An online booking waiting for the code sent to its phone; it expires after a few minutes. */
export interface AppointmentHoldTable {
  id: Generated<number>;
  /** The confirmation page's random address. */
  ref: string;
  office_id: number;
  group_id: number;
  day: LocalDate;
  slot_start: string;
  applicant_name: string;
  personal_id: string;
  phone: string;
  /** A keyed digest of the code sent to the phone. */
  code_hash: string;
  attempts: Generated<number>;
  /** A keyed digest of the client address it came from (the quotas). */
  client_key: string;
  created_at: IsoInstant;
  expires_at: IsoInstant;
}

/** An office's day of bookings: its unconfirmed holds, and the row its booking changes update first. */
export interface AppointmentDayTable {
  office_id: number;
  day: LocalDate;
  holds: Generated<number>;
}

export type ImportTurnKind = 'check' | 'import' | 'cli';
export type ImportTurnState = 'waiting' | 'running' | 'done' | 'failed';

/** A place in the installation's one line of tracking-book parses. */
export interface ImportTurnTable {
  id: Generated<number>;
  kind: ImportTurnKind;
  state: ImportTurnState;
  account_id: number | null;
  office_id: number | null;
  file_name: string;
  report: string | null;
  created_at: IsoInstant;
  heartbeat_at: IsoInstant;
  finished_at: IsoInstant | null;
}

export type AppointmentHoldRow = Selectable<AppointmentHoldTable>;
export type ImportTurnRow = Selectable<ImportTurnTable>;
