import type { Generated, Selectable } from 'kysely';

/** The queue in front of the counter (migration 16): groups, counters, tickets, appointments. */
type IsoInstant = string;
type LocalDate = string;

/** `intake`: dossiers are received; `result`: results are handed back. */
export type ServiceGroupKind = 'intake' | 'result';

export interface ServiceGroupTable {
  id: Generated<number>;
  office_id: number;
  code: string;
  /** The ticket's letter: C in C012. */
  letter: string;
  name: string;
  kind: Generated<ServiceGroupKind>;
  /** Appointment slots: their length, and how many bookings one holds (0: no booking). */
  slot_minutes: Generated<number>;
  slot_capacity: Generated<number>;
  sort_order: Generated<number>;
  active: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface ServiceGroupProcedureTable {
  group_id: number;
  procedure_id: number;
}

export interface CounterTable {
  id: Generated<number>;
  office_id: number;
  number: number;
  name: string;
  active: Generated<number>;
  account_id: number | null;
  signed_in_at: IsoInstant | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface CounterGroupTable {
  counter_id: number;
  group_id: number;
}

export interface TicketSequenceTable {
  group_id: number;
  day: LocalDate;
  last_number: number;
}

export type AppointmentState = 'booked' | 'checked_in' | 'cancelled';

export interface AppointmentTable {
  id: Generated<number>;
  office_id: number;
  group_id: number;
  day: LocalDate;
  /** Local time of day, `08:30`. */
  slot_start: string;
  code: string;
  applicant_name: string;
  personal_id: string;
  phone: string;
  state: AppointmentState;
  ticket_id: number | null;
  created_at: IsoInstant;
  checked_in_at: IsoInstant | null;
  /** A keyed digest of the client address the booking came from (migration 20; null before). */
  client_key: Generated<string | null>;
  /** A keyed digest of the code the phone confirmed with: check-in by ID number and that code. */
  confirm_code_hash: Generated<string | null>;
  /** Wrong check-ins by ID number: past a few, only the booking code checks it in. */
  check_in_failures: Generated<number>;
  cancelled_at: Generated<IsoInstant | null>;
  /** The officer who cancelled it; null when the citizen did. */
  cancelled_by: Generated<number | null>;
  cancel_reason: Generated<string | null>;
}

export interface AppointmentSlotTable {
  group_id: number;
  day: LocalDate;
  slot_start: string;
  booked: Generated<number>;
}

export type TicketState = 'waiting' | 'called' | 'serving' | 'done' | 'no_show';

export interface TicketTable {
  id: Generated<number>;
  office_id: number;
  group_id: number;
  day: LocalDate;
  seq: number;
  number: string;
  priority: Generated<string>;
  appointment_id: number | null;
  slot_at: IsoInstant | null;
  access_key: string;
  phone: string | null;
  dossier_id: number | null;
  state: TicketState;
  issued_at: IsoInstant;
  queued_at: IsoInstant;
  called_at: IsoInstant | null;
  last_called_at: IsoInstant | null;
  call_count: Generated<number>;
  counter_id: number | null;
  called_by: number | null;
  serving_at: IsoInstant | null;
  finished_at: IsoInstant | null;
  transferred_from: number | null;
  near_notified_at: IsoInstant | null;
}

export type QueueEventKind =
  'issued' | 'called' | 'recalled' | 'skipped' | 'transferred' | 'serving' | 'finished';

export interface QueueEventTable {
  id: Generated<number>;
  office_id: number;
  ticket_id: number;
  counter_id: number | null;
  kind: QueueEventKind;
  at: IsoInstant;
}

export type ServiceGroupRow = Selectable<ServiceGroupTable>;
export type CounterRow = Selectable<CounterTable>;
export type TicketRow = Selectable<TicketTable>;
export type AppointmentRow = Selectable<AppointmentTable>;
